import { parsePipeline } from '../src/spl/index.js';
import { TrailguardErrors, renderErrors } from '../src/errors.js';
for (const t of process.argv.slice(2)) { try { console.log(JSON.stringify(parsePipeline(t))); } catch (e) { if (e instanceof TrailguardErrors) console.log(renderErrors(e.errors)); else console.log(e); } }
