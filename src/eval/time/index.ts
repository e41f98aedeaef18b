export { relativeTime, parseRelative, applySteps, type TimeStep } from './relative.js';
export { strftime, strptime } from './format.js';
export { parseTimeBound } from './bound.js';
export { toLocal, fromLocal, zoneOffset, checkTimeZone, type LocalTime } from './zone.js';
