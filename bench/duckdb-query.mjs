// One DuckDB query as a whole process, the way the benchmark times it: start, open an in-memory
// database, read and parse the NDJSON file(s) with read_ndjson_auto, print the rows as JSON lines.
//
//   node bench/duckdb-query.mjs <sql-file> <data-file>...
//
// The SQL may say {events}; it is replaced by read_ndjson_auto over the data files.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [sqlFile, ...files] = process.argv.slice(2);
if (!sqlFile || files.length === 0) {
  process.stderr.write('usage: node bench/duckdb-query.mjs <sql-file> <data-file>...\n');
  process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const source = `read_ndjson_auto([${files.map(quote).join(', ')}])`;
const sql = readFileSync(sqlFile, 'utf8').replaceAll('{events}', source);

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const reader = await connection.runAndReadAll(sql);
const plain = (_k, v) => (typeof v === 'bigint' ? Number(v) : v);
let out = '';
for (const row of reader.getRowObjectsJS()) out += JSON.stringify(row, plain) + '\n';
process.stdout.write(out);
