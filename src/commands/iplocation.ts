/**
 * `iplocation [prefix=P] f` (SPL.md §5): adds City, Country, Region, lat, lon from a MaxMind
 * GeoIP database — only when the user configured one (`--geoip FILE` or TRAILGUARD_GEOIP).
 * Without a database, or for addresses with no location (private, `AWS Internal`, host names),
 * no fields are added; the missing database is warned about once per run.
 */
import type Maxmind from 'maxmind';
import type { CityResponse, Reader } from 'maxmind';
import { lazyRequire } from '../util/lazy-require.js';
import type { IplocationCommand } from '../spl/ast.js';
import { TrailguardError } from '../errors.js';
import { firstValue, toText } from '../eval/value.js';
import type { RunContext } from '../engine/context.js';
import { mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';

const maxmind = lazyRequire<typeof Maxmind>('maxmind');

const CACHE_KEY = 'iplocation.reader';

async function reader(ctx: RunContext): Promise<Reader<CityResponse> | null> {
  if (ctx.cache.has(CACHE_KEY)) return ctx.cache.get(CACHE_KEY) as Reader<CityResponse> | null;
  let r: Reader<CityResponse> | null = null;
  const file = ctx.geoipFile;
  if (!file) ctx.warn('iplocation: no GeoIP database configured (--geoip FILE or TRAILGUARD_GEOIP); no location fields were added');
  else {
    try {
      r = await maxmind().open<CityResponse>(file);
    } catch (e) {
      throw new TrailguardError({
        code: 'E_GEOIP', phase: 'input', location: { file },
        reason: `cannot open GeoIP database ${file}: ${(e as Error).message}`,
        hints: ['pass a MaxMind GeoLite2-City .mmdb file with --geoip'],
      });
    }
  }
  ctx.cache.set(CACHE_KEY, r);
  return r;
}

/** The location fields for one address (empty when the database has none). */
export function locationFields(geo: CityResponse | null, lang = 'en'): Record<string, string | number> {
  if (!geo) return {};
  const out: Record<string, string | number> = {};
  out.City = geo.city?.names?.[lang as 'en'] ?? '';
  out.Country = geo.country?.names?.[lang as 'en'] ?? geo.registered_country?.names?.[lang as 'en'] ?? '';
  out.Region = geo.subdivisions?.[0]?.names?.[lang as 'en'] ?? '';
  if (geo.location) {
    out.lat = geo.location.latitude;
    out.lon = geo.location.longitude;
  }
  return out;
}

export default function iplocationPlan(cmd: IplocationCommand, env: PlanEnv): CommandPlan {
  const prefix = cmd.options['prefix'] ?? '';
  const lang = cmd.options['lang'] ?? 'en';
  return simplePlan(cmd, env, cmd.field, async (ctx) => {
    const db = await reader(ctx);
    return mapOperator((row) => {
      if (!db) return row;
      const v = firstValue(row.get(cmd.field));
      if (v === null) return row;
      const ip = toText(v).trim();
      if (!maxmind().validate(ip)) return row;
      let geo: CityResponse | null = null;
      try {
        geo = db.get(ip);
      } catch {
        geo = null;
      }
      for (const [k, val] of Object.entries(locationFields(geo, lang))) row.set(prefix + k, val);
      return row;
    });
  });
}
