/**
 * Output layouts. `ndjson`: one file, one record per line, optionally gzipped, written through a
 * stream with backpressure. `awslogs`: CloudTrail's S3 delivery tree, one gzipped
 * `{"Records":[…]}` file per account, region and 5-minute delivery interval.
 */
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createGzip, gzipSync, type Gzip } from 'node:zlib';
import { Rng } from './prng.js';
import type { CloudTrailRecord } from './records.js';

export interface RecordWriter {
  /** Adds one record; resolves when it is safe to add more. */
  write(record: CloudTrailRecord): Promise<void> | void;
  close(): Promise<void>;
  readonly files: number;
  readonly bytes: number;
}

const CHUNK = 1 << 20;

export class NdjsonWriter implements RecordWriter {
  files = 1;
  bytes = 0;
  private buffer: string[] = [];
  private buffered = 0;
  private readonly file: WriteStream;
  private readonly sink: WriteStream | Gzip;

  constructor(path: string, gzip: boolean) {
    this.file = createWriteStream(path);
    if (gzip) {
      const z = createGzip({ level: 6 });
      z.pipe(this.file);
      this.sink = z;
    } else this.sink = this.file;
  }

  write(record: CloudTrailRecord): Promise<void> | void {
    const line = JSON.stringify(record) + '\n';
    this.buffer.push(line);
    this.buffered += line.length;
    if (this.buffered >= CHUNK) return this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const data = Buffer.from(this.buffer.join(''), 'utf8');
    this.buffer = [];
    this.buffered = 0;
    this.bytes += data.length;
    if (!this.sink.write(data)) await once(this.sink, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    const finished = once(this.file, 'close');
    this.sink.end();
    await finished;
  }
}

const DELIVERY_MS = 5 * 60_000;

/** `YYYYMMDDTHHMMZ` for a delivery stamp. */
export function deliveryStamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

export class AwsLogsWriter implements RecordWriter {
  files = 0;
  bytes = 0;
  private interval = -1;
  private readonly buffers = new Map<string, string[]>();
  private readonly dirs = new Set<string>();
  private readonly names: Rng;

  constructor(
    private readonly root: string,
    seed: string,
  ) {
    this.names = Rng.derive(seed, 'awslogs-file-names');
  }

  write(record: CloudTrailRecord): void {
    const time = Date.parse(record.eventTime);
    const interval = Math.floor(time / DELIVERY_MS);
    if (interval < this.interval) throw new Error('AwsLogsWriter: records must arrive in time order');
    if (interval !== this.interval) {
      this.flush();
      this.interval = interval;
    }
    const key = `${String(record.recipientAccountId)}\u0000${String(record.awsRegion)}`;
    let b = this.buffers.get(key);
    if (!b) this.buffers.set(key, (b = []));
    b.push(JSON.stringify(record));
  }

  /** Writes one file per account/region of the current interval, stamped with the interval's end. */
  private flush(): void {
    if (this.buffers.size === 0) return;
    const stampMs = (this.interval + 1) * DELIVERY_MS;
    const stamp = deliveryStamp(stampMs);
    const iso = new Date(stampMs).toISOString();
    for (const key of [...this.buffers.keys()].sort()) {
      const [account, region] = key.split('\u0000') as [string, string];
      const dir = join(this.root, 'AWSLogs', account, 'CloudTrail', region, iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10));
      if (!this.dirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        this.dirs.add(dir);
      }
      const name = `${account}_CloudTrail_${region}_${stamp}_${this.names.alnum(16)}.json.gz`;
      const body = gzipSync(Buffer.from(`{"Records":[${this.buffers.get(key)!.join(',')}]}`, 'utf8'));
      writeFileSync(join(dir, name), body);
      this.files++;
      this.bytes += body.length;
    }
    this.buffers.clear();
  }

  async close(): Promise<void> {
    this.flush();
  }
}
