/** Date and time functions: now, time, relative_time, strftime, strptime (SPL.md §6). */
import type { FunctionTable } from './types.js';
import { numberOf, textOf } from '../ops.js';
import { relativeTime } from '../time/relative.js';
import { strftime, strptime } from '../time/format.js';

export const TIME: FunctionTable = {
  now: { minArgs: 0, maxArgs: 0, signature: 'now()', impl: (_a, ctx) => ctx.now },
  // time() is the wall clock at evaluation, by definition; now() is the injected search start.
  time: { minArgs: 0, maxArgs: 0, signature: 'time()', impl: () => Date.now() / 1000 },
  relative_time: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'relative_time(epoch, modifier)',
    impl: ([t, s], ctx) => {
      const epoch = numberOf(t!);
      const spec = textOf(s!);
      if (epoch === null || spec === null) return null;
      return relativeTime(epoch, spec, ctx.tz);
    },
  },
  strftime: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'strftime(epoch, format)',
    impl: ([t, f], ctx) => {
      const epoch = numberOf(t!);
      const fmt = textOf(f!);
      if (epoch === null || fmt === null) return null;
      return strftime(epoch, fmt, ctx.tz);
    },
  },
  strptime: {
    minArgs: 2,
    maxArgs: 2,
    signature: 'strptime(text, format)',
    impl: ([s, f], ctx) => {
      const text = textOf(s!);
      const fmt = textOf(f!);
      if (text === null || fmt === null) return null;
      return strptime(text, fmt, ctx.tz);
    },
  },
};
