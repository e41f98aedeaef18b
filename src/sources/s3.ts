/**
 * CloudTrail straight from S3 (`--data s3://BUCKET/PREFIX`), with the AWS SDK for JavaScript v3:
 * the standard credential chain and region, and the SDK's endpoint override
 * (`AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`; path-style addressing when one is set, as
 * S3-compatible stores need).
 *
 * Listing walks the key hierarchy with `/` as delimiter and prunes exactly like a local tree: an
 * AWSLogs date prefix (`…/CloudTrail/REGION/YYYY/MM/DD/`) outside the window is never listed, a
 * file whose name stamp is outside it is never fetched. A lister kept across ticks (the service)
 * lists incrementally: for a prefix it listed before, only keys after the last one seen.
 * Objects are fetched with bounded concurrency, in key order; a failed GET is retried with
 * backoff and then fails the search (the service retries the tick) — never silently skipped.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { TrailguardError } from '../errors.js';
import { directorySpan, fileNameSpan, outsideWindow, type Window } from './pruning.js';

export { isS3Url, parseS3Url, type S3Location } from './s3-url.js';
import { type S3Location } from './s3-url.js';

export interface S3Object {
  bucket: string;
  key: string;
  size: number;
  /** `s3://bucket/key`: the name issues and `source` use. */
  url: string;
}

const S3_HINT = 'check the bucket name, credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID…), region (AWS_REGION) and endpoint (AWS_ENDPOINT_URL_S3); the service retries the tick at its next run';

/** Files a listing picks up (as a directory walk does): data files, not CloudTrail digests. */
const DATA_KEY = /\.(json|jsonl|ndjson|log|txt)(\.gz)?$|\.gz$/i;
const DIGEST = /CloudTrail-Digest/;

export function s3ClientConfig(env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  return {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    maxAttempts: 4,
  };
}

export interface S3ListStats {
  objectsSeen: number;
  objectsSkipped: number;
  prefixesSkipped: number;
  listCalls: number;
}

/** Lists (and remembers) objects under S3 locations; one per service, reused across ticks. */
export class S3Lister {
  readonly client: S3Client;
  readonly stats: S3ListStats = { objectsSeen: 0, objectsSkipped: 0, prefixesSkipped: 0, listCalls: 0 };
  /** Per listed prefix: the objects seen so far, in key order (the incremental listing's memory). */
  private readonly seen = new Map<string, S3Object[]>();

  constructor(client?: S3Client) {
    // Trailguard supports Node 20; the SDK's notice about its future Node 22 requirement would
    // print on every run.
    process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';
    this.client = client ?? new S3Client(s3ClientConfig());
  }

  /** Objects under `loc` that can hold events in the window, in key order. */
  async list(loc: S3Location, window: Window): Promise<S3Object[]> {
    const out: S3Object[] = [];
    await this.walk(loc.bucket, loc.prefix, window, out);
    return out;
  }

  private async walk(bucket: string, prefix: string, window: Window, out: S3Object[]): Promise<void> {
    const cacheKey = `${bucket}/${prefix}`;
    const known = this.seen.get(cacheKey) ?? [];
    const startAfter = known.length > 0 ? known[known.length - 1]!.key : undefined;
    const fresh: S3Object[] = [];
    const prefixes: string[] = [];
    let token: string | undefined;
    do {
      this.stats.listCalls++;
      let page;
      try {
        page = await this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token, StartAfter: token ? undefined : startAfter }));
      } catch (err) {
        const e = err as Error;
        throw new TrailguardError({
          code: 'E_S3_LIST', phase: 'input', location: { file: `s3://${bucket}/${prefix}` },
          reason: `cannot list s3://${bucket}/${prefix}: ${e.name}: ${e.message}`,
          hints: [S3_HINT],
        });
      }
      for (const c of page.CommonPrefixes ?? []) if (c.Prefix) prefixes.push(c.Prefix);
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue;
        fresh.push({ bucket, key: o.Key, size: o.Size ?? 0, url: `s3://${bucket}/${o.Key}` });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const all = known.concat(fresh);
    if (fresh.length > 0) this.seen.set(cacheKey, all);
    for (const o of all) {
      if (!DATA_KEY.test(o.key) || DIGEST.test(o.key)) continue;
      this.stats.objectsSeen++;
      if (outsideWindow(fileNameSpan(o.key), window)) {
        this.stats.objectsSkipped++;
        continue;
      }
      out.push(o);
    }
    // Common prefixes are re-listed each time (StartAfter only applies to this level's keys), so
    // a new day directory is found; a date prefix outside the window is not listed at all.
    for (const p of prefixes.sort()) {
      if (DIGEST.test(p)) continue;
      if (outsideWindow(directorySpan(`/${p.replace(/\/$/, '')}`), window)) {
        this.stats.prefixesSkipped++;
        continue;
      }
      await this.walk(bucket, p, window, out);
    }
  }
}

export interface FetchOptions {
  /** Objects in flight at once (default 8). */
  concurrency?: number;
  /** Attempts per object, including the first (default 4). */
  attempts?: number;
  /** First backoff in ms, doubled per attempt (default 200). */
  backoffMs?: number;
}

async function getBytes(client: S3Client, o: S3Object): Promise<Buffer> {
  const res = await client.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key }));
  if (!res.Body) return Buffer.alloc(0);
  const bytes = await res.Body.transformToByteArray();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function withRetry(o: S3Object, attempts: number, backoffMs: number, fetch: () => Promise<Buffer>): Promise<Buffer> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fetch();
    } catch (err) {
      last = err;
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 403 || status === 404) break;
      await new Promise((r) => setTimeout(r, backoffMs * 2 ** i * (0.5 + Math.random() / 2)));
    }
  }
  const e = last as Error & { name?: string };
  throw new TrailguardError({
    code: 'E_S3_GET', phase: 'input', location: { file: o.url },
    reason: `cannot read ${o.url}: ${e?.name ?? 'error'}: ${e?.message ?? String(last)}`,
    hints: [S3_HINT],
  });
}

/** The objects' bytes, in the given order, with at most `concurrency` GETs in flight. */
export async function* fetchObjects(client: S3Client, objects: readonly S3Object[], opts: FetchOptions = {}): AsyncGenerator<{ object: S3Object; bytes: Buffer }> {
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  const attempts = Math.max(1, opts.attempts ?? 4);
  const backoff = opts.backoffMs ?? 200;
  const inflight: Promise<Buffer>[] = [];
  let next = 0;
  const launch = () => {
    const o = objects[next++]!;
    const p = withRetry(o, attempts, backoff, () => getBytes(client, o));
    p.catch(() => {}); // awaited in order below; avoid an unhandled rejection meanwhile
    inflight.push(p);
  };
  while (next < objects.length && inflight.length < concurrency) launch();
  for (let i = 0; i < objects.length; i++) {
    const bytes = await inflight.shift()!;
    if (next < objects.length) launch();
    yield { object: objects[i]!, bytes };
  }
}
