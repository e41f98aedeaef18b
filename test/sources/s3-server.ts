/**
 * A local S3-compatible server for tests: s3rver (npm) on 127.0.0.1, a random port, its own
 * directory. s3rver 3.7.1's filesystem store drops the common prefixes of keys more than one
 * level below the listed prefix (its directory walk stops at the first delimiter), so a listing
 * with `Delimiter: '/'` of an AWSLogs tree comes back empty. S3 computes common prefixes from the
 * full key list; the wrapper below does the same, so the server answers as S3 does.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import S3rver from 's3rver';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const FilesystemStore = require('s3rver/lib/stores/filesystem.js') as { prototype: { listObjects: (bucket: string, o: Record<string, unknown>) => Promise<{ objects: Array<{ key: string }>; commonPrefixes: string[]; isTruncated: boolean }> } };
const original = FilesystemStore.prototype.listObjects;
let patched = false;

function patchDelimiterListing(): void {
  if (patched) return;
  patched = true;
  FilesystemStore.prototype.listObjects = async function (bucket, o) {
    const delimiter = String(o.delimiter ?? '');
    if (delimiter === '') return original.call(this, bucket, o);
    const prefix = String(o.prefix ?? '');
    const all = await original.call(this, bucket, { ...o, delimiter: '', maxKeys: Infinity });
    const maxKeys = typeof o.maxKeys === 'number' ? o.maxKeys : Infinity;
    const objects: typeof all.objects = [];
    const prefixes = new Set<string>();
    let isTruncated = false;
    for (const obj of all.objects) {
      const rest = obj.key.slice(prefix.length);
      const at = rest.indexOf(delimiter);
      const p = at >= 0 ? obj.key.slice(0, prefix.length + at + 1) : null;
      if (p !== null && prefixes.has(p)) continue;
      if (objects.length + prefixes.size >= maxKeys) {
        isTruncated = true;
        break;
      }
      if (p !== null) prefixes.add(p);
      else objects.push(obj);
    }
    return { objects, commonPrefixes: [...prefixes].sort(), isTruncated };
  };
}

export interface LocalS3 {
  endpoint: string;
  client: S3Client;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startS3(buckets: string[]): Promise<LocalS3> {
  patchDelimiterListing();
  const dir = mkdtempSync(join(tmpdir(), 'tg-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: buckets.map((name) => ({ name })) });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: '1' };
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  return { endpoint, client, env, close: () => server.close() };
}

/** Uploads every file under `root` to `bucket`, keyed `<keyPrefix><path relative to root>`. */
export async function uploadTree(client: S3Client, bucket: string, root: string, keyPrefix = ''): Promise<string[]> {
  const keys: string[] = [];
  const walk = async (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) await walk(p);
      else {
        const key = keyPrefix + relative(root, p).split(sep).join('/');
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(p) }));
        keys.push(key);
      }
    }
  };
  await walk(root);
  return keys;
}
