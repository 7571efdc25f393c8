#!/usr/bin/env node
// Test oracle for many small Parquet files of simple types: ONE DuckDB query over the whole
// list (read_parquet([...], filename = true)), rows printed per file in the encoding of
// test/oracle/duckdb_cat.mjs. duckdb_cat spends ~10 ms per file on its per-file queries; this
// reads thousands of files in one scan. Only flat columns of simple types are handled
// (boolean, integers, float, double, string, date, decimal); anything else exits 3 so that the
// caller falls back to duckdb_cat.mjs --batch.
//
//   node duckdb_files.mjs LISTFILE OUTDIR      → OUTDIR/<i>.jsonl for the i-th path (0-based)
import fs from 'node:fs';
import path from 'node:path';
import { dateString, decimalString, float32, loadOracleModule, toJson } from '../../oracle/common.mjs';

const { DuckDBInstance, DuckDBTypeId: T } = await loadOracleModule('@duckdb/node-api');

function converter(t) {
  switch (t.typeId) {
    case T.BOOLEAN: case T.TINYINT: case T.SMALLINT: case T.INTEGER: case T.BIGINT:
    case T.UTINYINT: case T.USMALLINT: case T.UINTEGER: case T.UBIGINT: case T.DOUBLE:
    case T.VARCHAR:
      return (v) => v;
    case T.FLOAT: return float32;
    case T.DECIMAL: return (v) => decimalString(v.value, v.scale);
    case T.DATE: return (v) => dateString(v.days);
    default: return null;
  }
}

async function main() {
  const [listFile, outDir] = process.argv.slice(2);
  if (!listFile || !outDir) { console.error('usage: duckdb_files.mjs LISTFILE OUTDIR'); return 2; }
  const files = fs.readFileSync(listFile, 'utf8').split('\n').filter((l) => l.length > 0);
  if (files.some((f) => /[*?[\]{}']/.test(f))) { console.error('unsupported path'); return 3; }
  const index = new Map(files.map((f, i) => [f, i]));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', preserve_insertion_order: 'true' });
  const con = await instance.connect();
  const list = '[' + files.map((f) => `'${f}'`).join(', ') + ']';
  const result = await con.stream(`SELECT * FROM read_parquet(${list}, filename = true,
      hive_partitioning = false, binary_as_string = false, union_by_name = true)`);
  const names = result.columnNames();
  const fileCol = names.indexOf('filename');
  const convs = result.columnTypes().map(converter);
  for (let i = 0; i < names.length; i++) {
    if (i !== fileCol && convs[i] === null) {
      console.error(`column ${names[i]}: type not handled here`);
      return 3;
    }
  }
  const texts = files.map(() => []);
  for await (const rows of result.yieldRows()) {
    for (const row of rows) {
      const m = new Map();
      for (let i = 0; i < names.length; i++) {
        if (i === fileCol) continue;
        m.set(names[i], row[i] === null || row[i] === undefined ? null : convs[i](row[i]));
      }
      texts[index.get(row[fileCol])].push(toJson(m));
    }
  }
  files.forEach((_, i) => {
    fs.writeFileSync(path.join(outDir, `${i}.jsonl`), texts[i].map((t) => t + '\n').join(''));
  });
  return 0;
}

process.exitCode = await main();
