// Times DuckDB decoding every column of a Parquet file (the peer in parquet_vs_duckdb.sh).
//   node bench/duckdb_scan.mjs FILE THREADS [write CODEC | columns COL,COL]
// Runs an aggregate that touches every column under the profiler and prints the wall time
// of the whole query and of DuckDB's Parquet scan operator alone (seconds, best of 3).
// With `write CODEC`: loads FILE into memory first, then times COPY ... TO parquet.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(process.env.DS_ORACLE_DIR || path.join(root, 'build', 'oracles'), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [file, threads = '1', mode, codec = 'snappy'] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', { threads });
const con = await db.connect();
if (mode === 'write') {
  await con.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${file}')`);
  let best = Infinity;
  for (let i = 0; i < 3; ++i) {
    const t0 = process.hrtime.bigint();
    await con.run(`COPY t TO '/tmp/ds-duckdb-write.parquet' (FORMAT parquet, COMPRESSION ${codec})`);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const bytes = (await import('node:fs')).statSync('/tmp/ds-duckdb-write.parquet').size;
  console.log(JSON.stringify({ op: 'duckdb-write', threads: Number(threads), codec, seconds: +best.toFixed(3), bytes }));
  process.exit(0);
}
const wanted = mode === 'columns' ? codec.split(',') : null;
const cols = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRows()
  .filter(([name]) => !wanted || wanted.includes(name));
const aggs = cols.map(([name, type]) =>
  type.endsWith('[]') ? `max(len("${name}"))` : type === 'BOOLEAN' ? `bool_or("${name}")` : `max("${name}")`);
const sql = `SELECT ${aggs.join(', ')} FROM read_parquet('${file}')`;
await con.run(`PRAGMA enable_profiling='json'`);
await con.run(`PRAGMA profiling_output='/tmp/ds-duckdb-profile.json'`);
let best = { total: Infinity, scan: Infinity };
for (let i = 0; i < 3; ++i) {
  const t0 = process.hrtime.bigint();
  await con.runAndReadAll(sql);
  const total = Number(process.hrtime.bigint() - t0) / 1e9;
  const prof = JSON.parse((await import('node:fs')).readFileSync('/tmp/ds-duckdb-profile.json', 'utf8'));
  let scan = 0;
  const walk = (n) => {
    if (/READ_PARQUET|TABLE_SCAN|PARQUET/i.test(n.operator_type || n.operator_name || '')) scan += n.operator_timing || 0;
    (n.children || []).forEach(walk);
  };
  walk(prof);
  if (total < best.total) best = { total, scan };
}
console.log(JSON.stringify({ op: 'duckdb-scan', columns: wanted ? wanted.join(',') : 'all', threads: Number(threads), seconds: +best.total.toFixed(3), scan_operator_seconds: +best.scan.toFixed(3) }));
