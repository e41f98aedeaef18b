/**
 * Stages of the field model (data/fieldmodel/cloudtrail.yml): JSON paths, aliases, calculated
 * fields, lookups, then everything (eventtypes and tags). A view at level L sees every stage up
 * to and including L. Shared by the in-process event rows and the SQL compiler, which resolve
 * fields in the same order.
 */
export const enum Level {
  Json = 0,
  Alias = 1,
  Eval = 2,
  Lookup = 3,
  All = 4,
}
