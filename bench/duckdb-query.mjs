// One DuckDB query as a whole process, the way the benchmark times it: start, open an in-memory
// database, read and parse the input with DuckDB's own JSON reader, print the rows as JSON lines.
//
//   node bench/duckdb-query.mjs <sql-file> <data-file>...            (NDJSON: {events})
//   node bench/duckdb-query.mjs <sql-file> --records <glob>...       (AWSLogs tree: {records})
//
// {events} becomes read_ndjson_auto over the files; {records} becomes one row `r` (JSON) per
// CloudTrail event, from read_json(<globs>, columns={Records: 'JSON[]'}) and unnest.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [sqlFile, ...rest] = process.argv.slice(2);
if (!sqlFile || rest.length === 0) {
  process.stderr.write('usage: node bench/duckdb-query.mjs <sql-file> <data-file>... | --records <glob>...\n');
  process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
let sql = readFileSync(sqlFile, 'utf8');
if (rest[0] === '--records') {
  const globs = rest.slice(1);
  sql = sql.replaceAll('{records}', `(SELECT unnest(Records) AS r FROM read_json([${globs.map(quote).join(', ')}], columns={Records: 'JSON[]'}))`);
} else {
  sql = sql.replaceAll('{events}', `read_ndjson_auto([${rest.map(quote).join(', ')}])`);
}

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const reader = await connection.runAndReadAll(sql);
const plain = (_k, v) => (typeof v === 'bigint' ? Number(v) : v);
let out = '';
for (const row of reader.getRowObjectsJS()) out += JSON.stringify(row, plain) + '\n';
process.stdout.write(out);
