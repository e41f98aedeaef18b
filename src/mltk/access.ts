/**
 * Reading and writing models through the run context's ModelAccess, with the errors a user needs:
 * a missing model names the baseline that fits it (or says how models come to be), and a model
 * from another app (a pre-trained DSDL model) is called what it is.
 */
import { TrailguardError } from '../errors.js';
import type { RunContext } from '../engine/context.js';
import { bareModelName } from './names.js';
import { DENSITY_ALGORITHM, DENSITY_MODEL_FORMAT, parseDensityModel, type DensityModel } from './model.js';

function noStore(): TrailguardError {
  return new TrailguardError({ code: 'E_MODEL_STORE', phase: 'runtime', reason: 'no model store is configured for this run', hints: ['run the search through `trailguard search` (models live in --state DIR)'] });
}

/** Hints for a model that does not exist. */
export function missingModelHints(ctx: RunContext, name: string): string[] {
  const fitters = ctx.modelFitters?.(name) ?? [];
  if (fitters.length > 0) {
    const f = fitters[0]!;
    return [
      `it is fitted by the ${f.kind} "${f.name}" (${f.file}); run that ${f.kind} first, with the same --state: trailguard search @${f.file} --data …`,
      ...fitters.slice(1).map((o) => `also fitted by the ${o.kind} "${o.name}" (${o.file})`),
    ];
  }
  const hints = [`no loaded baseline fits it; models come from a search that runs \`fit … into ${name}\` (add its baseline with --content DIR)`];
  if (/dsdl|pretrained|pre_trained/i.test(name)) hints.unshift('this looks like a pre-trained model of the Splunk App for Data Science and Deep Learning (DSDL), which Trailguard cannot reproduce or run');
  return hints;
}

/** The DensityFunction model `name` (namespace prefix ignored); errors when missing or unusable. */
export async function readDensityModel(ctx: RunContext, written: string): Promise<DensityModel> {
  if (!ctx.models) throw noStore();
  const name = bareModelName(written);
  const rec = await ctx.models.read(name);
  if (!rec) throw new TrailguardError({ code: 'E_MODEL_MISSING', phase: 'runtime', reason: `model "${name}" does not exist.`, hints: missingModelHints(ctx, name) });
  return parseDensityModel(name, rec.document);
}

/** Stores a fitted model under its bare name, recording what fitted it. */
export async function writeDensityModel(ctx: RunContext, written: string, model: DensityModel): Promise<void> {
  if (!ctx.models) throw noStore();
  await ctx.models.write({ name: bareModelName(written), format: DENSITY_MODEL_FORMAT, algorithm: DENSITY_ALGORITHM, document: model, fittedBy: ctx.searchLabel ?? null });
}
