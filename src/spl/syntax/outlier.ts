/** `outlier [action=… param=… uselower=… mark=…] [<field>…]` (MLTK.md §5): the same shape as anomalydetection. */
export { anomalydetection as outlier } from './anomalydetection.js';
