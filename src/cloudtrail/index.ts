/**
 * The CloudTrail field model: events → SPL fields the way Splunk's AWS add-on shapes them
 * (SPL.md §1.4-1.7, §9, §12) and → CIM data model rows (§8). Rules live in data files
 * (data/fieldmodel/cloudtrail.yml, data/datamodels/*.yml); this package interprets them.
 */
export { loadFieldModel } from './model.js';
export type { FieldModel, DataModel, Dataset, DataModelField, AliasRule, EvalRule, EventTypeRule } from './model.js';
export { eventRow, explainFields, EventFieldSource, isPlainJsonField, evalsReadJson, constantField } from './event-row.js';
export type { EventRowOptions, FieldExplanation, FieldOrigin } from './event-row.js';
export {
  dataModelRow,
  dataModelMembership,
  dataModelNames,
  datasets,
  dataModelFields,
  suggestDataModelFields,
} from './datamodel.js';
export type { DatasetInfo } from './datamodel.js';
export { jsonStats, resetJsonStats, JsonDoc } from './json.js';
