/**
 * A local S3-compatible server for tests: s3rver (npm) on 127.0.0.1, a random port, its own
 * directory. s3rver 3.7.1's filesystem store drops the common prefixes of keys more than one
 * level below the listed prefix (its directory walk stops at the first delimiter), so a listing
 * with `Delimiter: '/'` of an AWSLogs tree comes back empty. S3 computes common prefixes from the
 * key list; the replacement below answers `/`-delimited listings as S3 does, from one directory
 * read of the store (and leaves other listings to s3rver).
 */
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import S3rver from 's3rver';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-require-imports
interface StoreInternals {
  getBucketPath(bucket: string): string;
  getMetadata(bucket: string, key: string): Promise<unknown>;
}
type ListObjects = (this: StoreInternals, bucket: string, o: Record<string, unknown>) => Promise<{ objects: unknown[]; commonPrefixes: string[]; isTruncated: boolean }>;
const FilesystemStore = require('s3rver/lib/stores/filesystem.js') as { prototype: { listObjects: ListObjects } };
const S3Object = require('s3rver/lib/models/object.js') as new (bucket: string, key: string, content: null, metadata: unknown) => unknown;
const OBJECT_SUFFIX = '._S3rver_object';
const original = FilesystemStore.prototype.listObjects;
let patched = false;

function patchDelimiterListing(): void {
  if (patched) return;
  patched = true;
  FilesystemStore.prototype.listObjects = async function (this: StoreInternals, bucket, o) {
    const delimiter = String(o.delimiter ?? '');
    const prefix = String(o.prefix ?? '');
    if (delimiter !== '/' || (prefix !== '' && !prefix.endsWith('/'))) return original.call(this, bucket, o);
    // Keys are stored as directories plus `<name>._S3rver_object` files: one directory read gives
    // this level's objects and common prefixes, as S3 computes them from the key list.
    const dir = join(this.getBucketPath(bucket), ...prefix.split('/').filter(Boolean));
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      /* no such prefix: nothing under it */
    }
    const startAfter = String(o.startAfter ?? '');
    const maxKeys = typeof o.maxKeys === 'number' ? o.maxKeys : 1000;
    const items = [
      ...entries.filter((e) => e.isDirectory()).map((e) => ({ name: `${prefix}${e.name}/`, dir: true })),
      ...entries.filter((e) => e.isFile() && e.name.endsWith(OBJECT_SUFFIX)).map((e) => ({ name: prefix + e.name.slice(0, -OBJECT_SUFFIX.length), dir: false })),
    ]
      .filter((i) => i.name > startAfter)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = items.slice(0, maxKeys);
    const objects = await Promise.all(page.filter((i) => !i.dir).map(async (i) => new S3Object(bucket, i.name, null, await this.getMetadata(bucket, i.name))));
    return { objects, commonPrefixes: page.filter((i) => i.dir).map((i) => i.name), isTruncated: items.length > maxKeys };
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
  process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';
  const dir = mkdtempSync(join(tmpdir(), 'tg-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: buckets.map((name) => ({ name })) });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: '1' };
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  return { endpoint, client, env, close: () => server.close() };
}

/** Uploads every file under `root` to `bucket`, keyed `<keyPrefix><path relative to root>` (16 at a time). */
export async function uploadTree(client: S3Client, bucket: string, root: string, keyPrefix = ''): Promise<string[]> {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(root);
  const keys = files.map((p) => keyPrefix + relative(root, p).split(sep).join('/'));
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: keys[i]!, Body: readFileSync(files[i]!) }));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return keys;
}
