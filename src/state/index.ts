/** Public API of Trailguard's persistent state: lookups, collections, run history (SPL.md §7). */
export { StateStore, type StateStoreOptions } from './store.js';
export { LookupStore, DEFAULT_STATE_DIR, type LookupStoreOptions, type WriteOptions } from './lookups.js';
export {
  loadLookupDefinitions,
  loadLookupDefinitionSet,
  type LookupDefinitionSet,
  parseLookupDefinition,
  type LookupDefinition,
  type CsvLookupDefinition,
  type CollectionLookupDefinition,
} from './definitions.js';
export {
  emptyTable,
  toCell,
  type LookupTable,
  type LookupRow,
  type LookupCell,
  type WritableTable,
} from './table.js';
export {
  buildLookupIndex,
  outputValue,
  DEFAULT_MAX_MATCHES,
  type LookupIndex,
  type LookupIndexOptions,
} from './match.js';
export { readCsvTable, writeCsvTable, writeFileAtomic, MV_SEPARATOR } from './csv.js';
export { StateDb, type RunRecord } from './db.js';
export { ModelStore, MemoryModels, type ModelRecord, type ModelWrite } from './models.js';
