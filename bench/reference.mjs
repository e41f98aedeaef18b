// A plain-JS third opinion: one pass of JSON.parse over the NDJSON file(s) feeding every query's
// reference aggregation (bench/queries.mjs). It decides which engine is wrong on a mismatch and
// counts the events; it is not one of the compared engines.
import { createReadStream, readFileSync } from 'node:fs';
import { createGunzip, gunzipSync } from 'node:zlib';
import { createInterface } from 'node:readline';

export async function referenceAnswers(files, queries) {
  const groups = queries.map(() => new Map());
  let events = 0;
  let badLines = 0;
  const started = performance.now();
  const feed = (ev) => {
    events++;
    queries.forEach((q, i) => {
      const ref = q.reference;
      if (!ref.where(ev)) return;
      const parts = ref.key(ev);
      if (parts === undefined) return;
      const k = JSON.stringify(parts);
      let g = groups[i].get(k);
      if (!g) groups[i].set(k, (g = { parts, state: ref.init() }));
      ref.add(g.state, ev);
    });
  };
  for (const file of files) {
    if (/\.json(\.gz)?$/.test(file)) {
      // A CloudTrail delivery file: {"Records":[…]}.
      const bytes = readFileSync(file);
      const doc = JSON.parse((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
      for (const ev of doc.Records ?? []) feed(ev);
      continue;
    }
    let stream = createReadStream(file);
    if (file.endsWith('.gz')) stream = stream.pipe(createGunzip());
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let ev;
      try {
        ev = JSON.parse(line);
      } catch {
        badLines++;
        continue;
      }
      feed(ev);
    }
  }
  const answers = queries.map((q, i) =>
    [...groups[i].values()].map(({ parts, state }) => Object.fromEntries(q.reference.out(parts, state).map((v, j) => [q.columns[j], v]))),
  );
  return { events, badLines, seconds: (performance.now() - started) / 1000, answers };
}
