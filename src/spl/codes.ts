/** Error codes of the SPL front end, one place so docs and tests can name them. */
export const SPL = {
  unterminated: 'SPL001', // string, quoted field or bracket not closed
  unexpected: 'SPL002', // a token where it cannot stand
  expected: 'SPL003', // something required is missing
  unknownCommand: 'SPL004',
  notGenerating: 'SPL005', // `| stats` at the start of a pipeline
  emptySearch: 'SPL006',
  unexpandedMacro: 'SPL007',
  badNumber: 'SPL008',
  macroMissing: 'SPL101',
  macroCycle: 'SPL102',
  macroUnterminated: 'SPL103',
  macroTooDeep: 'SPL104',
  macroFile: 'SPL105',
} as const;
