#!/usr/bin/env node
// Test oracle: reads a Parquet file with DuckDB (@duckdb/node-api) and prints its rows as
// JSON Lines in the encoding of `deltashare parquet cat` (see README.md beside this file).
//
//   node duckdb_cat.mjs FILE [--columns a,b] [--limit N]
//   node duckdb_cat.mjs --batch LISTFILE OUTDIR [--columns a,b] [--limit N]
//
// Modules come from build/oracles/node_modules (scripts/install-oracles.sh), or $DS_ORACLE_DIR.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  base64, checkChunkSize, dateString, decimalString, float32, loadOracleModule, runCli,
  timeString, timestampString, toJson,
} from './common.mjs';

const { DuckDBInstance, DuckDBTypeId: T } = await loadOracleModule('@duckdb/node-api');

// ---------- DuckDB value -> encoding, driven by the result column type ----------

// Compiles a result column type into a value converter. DuckDB types INT96 and legacy
// TIMESTAMP_MILLIS/MICROS (converted type only) as plain TIMESTAMP although both are UTC
// instants: utcLeaves holds, per Parquet leaf of the column in schema order, whether it is one
// of those. DuckDB types have exactly one leaf per Parquet leaf, in the same order.
function compile(type, utcLeaves) {
  let leaf = 0;
  const walk = (t) => {
    switch (t.typeId) {
      case T.LIST: case T.ARRAY: {
        const item = walk(t.valueType);
        return (v) => v.items.map(nullable(item));
      }
      case T.STRUCT: {
        const fields = t.entryNames.map((n, i) => [n, nullable(walk(t.entryTypes[i]))]);
        return (v) => new Map(fields.map(([n, f]) => [n, f(v.entries[n])]));
      }
      case T.MAP: {
        const key = nullable(walk(t.keyType));
        const value = nullable(walk(t.valueType));
        return (v) => v.entries.map((e) => new Map([['key', key(e.key)], ['value', value(e.value)]]));
      }
    }
    const utc = utcLeaves[leaf++] ?? false;
    switch (t.typeId) {
      case T.BOOLEAN: case T.TINYINT: case T.SMALLINT: case T.INTEGER: case T.BIGINT:
      case T.UTINYINT: case T.USMALLINT: case T.UINTEGER: case T.UBIGINT:
      case T.HUGEINT: case T.UHUGEINT: case T.DOUBLE: case T.VARCHAR:
        return (v) => v;
      case T.ENUM: return String;
      case T.FLOAT: return float32; // DuckDB hands FLOAT out widened to double
      case T.DECIMAL: return (v) => decimalString(v.value, v.scale);
      case T.BLOB: case T.GEOMETRY: return (v) => base64(v.bytes); // GEOMETRY: WKB
      case T.UUID: return (v) => v.toString().toLowerCase();
      case T.DATE: return (v) => dateString(v.days);
      case T.TIME: case T.TIME_TZ: return (v) => timeString(v.micros, 6); // TIME_TZ: offset 0
      case T.TIME_NS: return (v) => timeString(v.nanos, 9);
      case T.TIMESTAMP: return (v) => timestampString(v.micros, 6, utc);
      case T.TIMESTAMP_TZ: return (v) => timestampString(v.micros, 6, true);
      case T.TIMESTAMP_MS: return (v) => timestampString(v.millis * 1000n, 6, utc);
      case T.TIMESTAMP_S: return (v) => timestampString(v.seconds * 1000000n, 6, utc);
      case T.TIMESTAMP_NS: return (v) => timestampString(v.nanos, 9, false);
    }
    throw new Error(`unsupported DuckDB type ${t.toString()}`);
  };
  const convert = nullable(walk(type));
  if (utcLeaves.some(Boolean) && leaf !== utcLeaves.length) {
    throw new Error(`cannot match ${leaf} DuckDB leaves to ${utcLeaves.length} Parquet leaves`);
  }
  return convert;
}

const nullable = (f) => (v) => (v === null || v === undefined ? null : f(v));

// ---------- reading ----------

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;
const sqlIdent = (s) => `"${s.replaceAll('"', '""')}"`;

// Top-level column name -> per-leaf "is INT96 or legacy TIMESTAMP_*" flags, from DuckDB's
// parquet_schema (pre-order rows, rows[0] is the root).
async function utcLeaves(con, file) {
  const rows = (await con.runAndReadAll(`SELECT name, type, converted_type, logical_type, num_children
      FROM parquet_schema(${sqlString(file)})`)).getRows();
  const result = new Map();
  let i = 1;
  const walk = (flags) => {
    const [, type, converted, logical, n] = rows[i++];
    if (type) flags.push(type === 'INT96' || (!logical && /^TIMESTAMP_/.test(converted ?? '')));
    for (let c = 0; c < Number(n ?? 0); c++) walk(flags);
    return flags;
  };
  while (i < rows.length) { const name = rows[i][0]; result.set(name, walk([])); }
  return result;
}

async function catFile(con, file, opts, write) {
  if (!fs.existsSync(file)) throw new Error(`no such file: ${file}`);
  if (!/[*?[\]{}]/.test(file)) return catPath(con, file, opts, write);
  // DuckDB would expand glob characters: read through a symlink with a plain name.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb_cat-'));
  try {
    fs.symlinkSync(path.resolve(file), path.join(dir, 'file.parquet'));
    return await catPath(con, path.join(dir, 'file.parquet'), opts, write);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function catPath(con, file, opts, write) {
  const big = (await con.runAndReadAll(`SELECT max(total_uncompressed_size) FROM parquet_metadata(${sqlString(file)})`)).getRows()[0][0];
  checkChunkSize(big);
  const leaves = await utcLeaves(con, file);
  const source = `read_parquet(${sqlString(file)}, hive_partitioning = false, binary_as_string = false)`;
  let cols = '*';
  if (opts.columns) { // keys stay in schema order, like deltashare
    const all = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRows().map((r) => r[0]);
    const missing = opts.columns.filter((c) => !all.includes(c));
    if (missing.length) throw new Error(`no such column: ${missing.join(', ')}`);
    cols = all.filter((c) => opts.columns.includes(c)).map(sqlIdent).join(', ');
  }
  let sql = `SELECT ${cols} FROM ${source}`;
  if (opts.limit !== undefined) sql += ` LIMIT ${opts.limit}`;
  const result = await con.stream(sql);
  const names = result.columnNames();
  const converters = result.columnTypes().map((t, i) => compile(t, leaves.get(names[i]) ?? []));
  for await (const rows of result.yieldRows()) {
    let text = '';
    for (const row of rows) {
      text += toJson(new Map(names.map((n, i) => [n, converters[i](row[i])]))) + '\n';
    }
    await write(text);
  }
}

// ---------- command line (common.mjs) ----------

process.exitCode = await runCli('duckdb_cat', async () => {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', preserve_insertion_order: 'true' });
  const con = await instance.connect();
  return (file, opts, write) => catFile(con, file, opts, write);
});
