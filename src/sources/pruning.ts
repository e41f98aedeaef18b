/**
 * Time pruning from CloudTrail's S3 layout, so whole files and day directories outside the
 * window are never opened:
 *   AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_YYYYMMDDTHHMMZ_<rand>.json.gz
 *
 * Margins (why these numbers): CloudTrail writes a file about every 5 minutes and delivers events
 * within ~15 minutes of the API call, but a file may hold events up to about an hour older than
 * the time stamped in its name (late-arriving events from a region or service). On the invictus
 * data the events of each file lie 0-10 minutes before its stamp. So a file stamped T is assumed
 * to hold events in [T - 1h, T + 1h) — the hour after T covers clock skew and any delivery scheme
 * that stamps the start rather than the end of the file's period. A day directory (the delivery
 * date, UTC) is widened by one whole day each side: files written just after midnight land in
 * the next day's directory with the previous day's events, and the margin costs one extra
 * directory listing at most per end of the window.
 */

export const FILE_MARGIN_SECONDS = 3600;
export const DIRECTORY_MARGIN_SECONDS = 86400;

export interface Window {
  earliest?: number;
  latest?: number;
}

/** The half-open span [start, end) of epoch seconds, or null when the name says nothing. */
export interface Span {
  start: number;
  end: number;
}

const FILE_STAMP = /_CloudTrail_[^_/\\]+_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/\\]*$/;
const DATE_DIR = /[/\\]CloudTrail[/\\][^/\\]+[/\\](\d{4})(?:[/\\](\d{2})(?:[/\\](\d{2}))?)?[/\\]?$/;

/** Events a CloudTrail file can hold, from its name (with the margin), or null. */
export function fileNameSpan(path: string): Span | null {
  const m = FILE_STAMP.exec(path);
  if (!m) return null;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!) / 1000;
  if (Number.isNaN(t)) return null;
  return { start: t - FILE_MARGIN_SECONDS, end: t + FILE_MARGIN_SECONDS };
}

/** Events a `…/CloudTrail/<region>/YYYY[/MM[/DD]]` directory can hold (with margin), or null. */
export function directorySpan(path: string): Span | null {
  const m = DATE_DIR.exec(path);
  if (!m) return null;
  const year = +m[1]!;
  let start: number;
  let end: number;
  if (m[2] === undefined) {
    start = Date.UTC(year, 0, 1);
    end = Date.UTC(year + 1, 0, 1);
  } else if (m[3] === undefined) {
    start = Date.UTC(year, +m[2] - 1, 1);
    end = Date.UTC(year, +m[2], 1);
  } else {
    start = Date.UTC(year, +m[2] - 1, +m[3]);
    end = Date.UTC(year, +m[2] - 1, +m[3] + 1);
  }
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return { start: start / 1000 - DIRECTORY_MARGIN_SECONDS, end: end / 1000 + DIRECTORY_MARGIN_SECONDS };
}

/** True when [span.start, span.end) cannot overlap the window [earliest, latest). */
export function outsideWindow(span: Span | null, w: Window): boolean {
  if (span === null) return false;
  if (w.earliest !== undefined && span.end <= w.earliest) return true;
  if (w.latest !== undefined && span.start >= w.latest) return true;
  return false;
}
