/** `s3://bucket/prefix` locations (no AWS SDK here: the SDK loads only when S3 is read). */
import { TrailguardError } from '../errors.js';

export interface S3Location {
  bucket: string;
  prefix: string;
}

const S3_URL = /^s3:\/\/([^/]+)\/?(.*)$/i;

export function isS3Url(arg: string): boolean {
  return /^s3:\/\//i.test(arg);
}

export function parseS3Url(arg: string): S3Location {
  const m = S3_URL.exec(arg);
  if (!m || m[1] === '') {
    throw new TrailguardError({ code: 'E_DATA_PATH', phase: 'usage', reason: `--data ${arg}: not an S3 location`, hints: ['write s3://BUCKET/PREFIX, for example s3://my-trail/AWSLogs/'] });
  }
  return { bucket: m[1]!, prefix: m[2]! };
}

