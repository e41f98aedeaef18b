/**
 * What `trailguard sql` and `explain --stage plan` show: the SQL of a search's pushed part (and of
 * the filter subsearches that run first), annotated with the SPL command each part comes from,
 * and where the in-process suffix starts and why.
 */
import type { Pipeline } from '../spl/ast.js';
import { printPipeline } from '../spl/printer.js';
import { Planner, type PlanContext, type SqlPlan } from './planner.js';
import { Renderer, quoteId, type DialectName } from './render.js';

export interface DescribeContext extends Omit<PlanContext, 'subsearchRows'> {
  /** Table name to show instead of the profile's (Athena `--table`/`--database`). */
  source?: string;
}

export interface CompiledSql {
  /** Statements in the order they run (subsearches first). */
  queries: { title: string; sql: string }[];
  /** Which command runs where, and why the cut is there. */
  placement: string[];
  plan: SqlPlan;
}

function plan(p: Pipeline, c: DescribeContext): SqlPlan {
  return new Planner({ profile: c.profile, model: c.model, now: c.now, tz: c.tz, earliest: c.earliest, latest: c.latest }).plan(p);
}

/** One line per command: where it runs (SQL or Trailguard), and the reason at the cut. */
export function placementLines(sp: SqlPlan, p: Pipeline, indent = ''): string[] {
  const out: string[] = [];
  for (const pl of sp.placements) {
    const cmd = p.commands[pl.position - 1];
    const text = cmd ? shorten(printPipeline({ ...p, commands: [cmd] })) : pl.name;
    out.push(`${indent}${pl.position}. [${pl.where === 'sql' ? 'SQL' : 'Trailguard'}] ${text}`);
    if (pl.detail && pl.where === 'trailguard') out.push(`${indent}     ↳ cut: ${pl.detail}`);
  }
  if (sp.cut >= p.commands.length && sp.query) out.push(`${indent}(the whole search runs in SQL)`);
  return out;
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ').replace(/^\| /, '');
  return one.length > 110 ? one.slice(0, 107) + '...' : one;
}

export function compileSql(p: Pipeline, c: DescribeContext, dialect: DialectName): CompiledSql {
  const queries: { title: string; sql: string }[] = [];
  const renderer = new Renderer(dialect);
  const source = `${c.source ?? quoteId(c.profile.table)} AS ${quoteId('t')}`;
  const walk = (pipe: Pipeline, title: string): SqlPlan => {
    const sp = plan(pipe, c);
    sp.subsearches.forEach((sub, i) => {
      const subPlan = walk(sub, `subsearch_${i + 1} (${title}): its rows are passed to the next query as VALUES`);
      if (!subPlan.query) queries.push({ title: `subsearch_${i + 1} (${title}) runs in Trailguard: ${subPlan.cutReason ?? 'reads no events'}`, sql: '' });
    });
    if (sp.query) {
      const tail = sp.cut < pipe.commands.length ? `; Trailguard runs commands ${sp.cut + 1}–${pipe.commands.length} on its rows` : '';
      queries.push({ title: `${title}${tail}`, sql: renderer.query(sp.query, source) });
    }
    return sp;
  };
  const sp = walk(p, 'the search');
  return { queries, placement: placementLines(sp, p), plan: sp };
}

/** `trailguard sql` text: every statement with its title, then the placement of each command. */
export function sqlReport(p: Pipeline, c: DescribeContext, dialect: DialectName): string {
  const r = compileSql(p, c, dialect);
  const out: string[] = [];
  const n = r.queries.filter((q) => q.sql).length;
  let k = 0;
  for (const q of r.queries) {
    if (!q.sql) {
      out.push(`-- ${q.title}`, '');
      continue;
    }
    k++;
    out.push(`-- query ${k} of ${n}: ${q.title}`, `${q.sql};`, '');
  }
  if (n === 0) out.push(`-- nothing of this search is pushed to SQL: ${r.plan.cutReason ?? 'no pushable prefix'}`, '');
  out.push('-- where each command runs:', ...r.placement.map((l) => `--   ${l}`));
  return out.join('\n') + '\n';
}
