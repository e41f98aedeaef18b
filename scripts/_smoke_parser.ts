import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { compileSpl, printPipeline, printTree, parsePipeline } from '/work/main/src/spl/index.ts';
import { loadMacros } from '/work/main/src/content/macros.ts';
import { renderErrors, TrailguardErrors } from '/work/main/src/errors.ts';
const macros = loadMacros();
for (const d of ['detections','baselines']) for (const f of readdirSync('content/'+d)) {
  if (!f.endsWith('.yml')) continue;
  const doc = parse(readFileSync(`content/${d}/${f}`,'utf8'));
  try {
    const p = compileSpl(doc.search, { macros });
    const printed = printPipeline(p);
    console.log(f, '\n', printed);
    const p2 = parsePipeline(printed);
    const strip = (x: any) => JSON.stringify(x, (k, v) => k === 'span' ? undefined : v);
    console.log(strip(p) === strip(p2) ? 'ROUNDTRIP OK' : 'ROUNDTRIP DIFF');
    if (f.startsWith('detect_new')) console.log(printTree(p));
  } catch (e) { if (e instanceof TrailguardErrors) console.log(renderErrors(e.errors)); else throw e; }
}
