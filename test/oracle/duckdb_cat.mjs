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
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const oracleDir = process.env.DS_ORACLE_DIR || path.join(repoRoot, 'build/oracles');
const requireOracle = createRequire(path.join(oracleDir, 'package.json'));
async function load(name) {
  try {
    return await import(pathToFileURL(requireOracle.resolve(name)).href);
  } catch (e) {
    console.error(`cannot load ${name} from ${oracleDir} (run scripts/install-oracles.sh): ${e.message.split('\n')[0]}`);
    process.exit(2);
  }
}
const { DuckDBInstance, DuckDBTypeId: T } = await load('@duckdb/node-api');

// ---------- encoding helpers (same encoding as hyparquet_cat.mjs) ----------

class Raw { constructor(text) { this.text = text; } } // pre-formatted JSON text

function toJson(v) {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Raw) return v.text;
  switch (typeof v) {
    case 'boolean': return v ? 'true' : 'false';
    case 'bigint': return v.toString();
    case 'number': return numberJson(v);
    case 'string': return JSON.stringify(v);
  }
  if (Array.isArray(v)) return '[' + v.map(toJson).join(',') + ']';
  if (v instanceof Map) { // objects keep insertion order even for integer-like keys
    return '{' + [...v].map(([k, x]) => JSON.stringify(k) + ':' + toJson(x)).join(',') + '}';
  }
  throw new Error(`internal: cannot encode ${Object.prototype.toString.call(v)}`);
}

function numberJson(v) {
  if (Number.isNaN(v)) return '"NaN"';
  if (v === Infinity) return '"Infinity"';
  if (v === -Infinity) return '"-Infinity"';
  if (Object.is(v, -0)) return '-0';
  return JSON.stringify(v); // shortest round-trip for a double
}

// Shortest decimal that round-trips through float32 (DuckDB hands FLOAT out widened to double).
function float32(v) {
  if (!Number.isFinite(v) || v === 0) return v;
  for (let p = 1; p < 9; p++) {
    const s = +v.toPrecision(p);
    if (Math.fround(s) === v) return new Raw(String(s));
  }
  return new Raw(String(+v.toPrecision(9)));
}

function decimalString(unscaled, scale) {
  const neg = unscaled < 0n;
  let digits = (neg ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = digits.slice(0, -scale) + '.' + digits.slice(-scale);
  }
  return (neg ? '-' : '') + digits;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

function dateString(days) { // proleptic Gregorian, H. Hinnant's civil_from_days
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y < 0 ? '-' : ''}${pad(Math.abs(y), 4)}-${pad(m)}-${pad(d)}`;
}

// ticks since midnight (perSec = 10^digits) -> HH:MM:SS.fff...
function timeString(ticks, digits) {
  const perSec = 10n ** BigInt(digits);
  const s = ticks / perSec;
  return `${pad(s / 3600n)}:${pad((s / 60n) % 60n)}:${pad(s % 60n)}.${pad(ticks % perSec, digits)}`;
}

// ticks since the epoch (perSec = 10^digits) -> YYYY-MM-DDTHH:MM:SS.fff...[Z]
function timestampString(ticks, digits, utc) {
  const perDay = 86400n * 10n ** BigInt(digits);
  let days = ticks / perDay;
  let rem = ticks % perDay;
  if (rem < 0n) { rem += perDay; days -= 1n; }
  return `${dateString(Number(days))}T${timeString(rem, digits)}${utc ? 'Z' : ''}`;
}

const base64 = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

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
      case T.FLOAT: return float32;
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

const MAX_CHUNK = 2 ** 29; // bytes; JS strings hold < 2^29 characters
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
  if (big > MAX_CHUNK) throw new Error(`a column chunk holds ${big} bytes, more than a JS oracle can hold`);
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

// ---------- command line ----------

function parseArgs(argv) {
  const opts = {};
  const pos = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--columns') opts.columns = value().split(',').filter(Boolean);
    else if (a === '--limit') opts.limit = Number(value());
    else if (a === '--batch') opts.batch = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else pos.push(a);
  }
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 0)) {
    throw new Error('--limit needs an integer >= 0');
  }
  if (pos.length !== (opts.batch ? 2 : 1)) {
    throw new Error('usage: duckdb_cat.mjs FILE [--columns a,b] [--limit N]\n' +
                    '       duckdb_cat.mjs --batch LISTFILE OUTDIR [--columns a,b] [--limit N]');
  }
  return { opts, pos };
}

function writeStdout(text) {
  return new Promise((resolve, reject) => {
    if (process.stdout.write(text)) resolve(); else process.stdout.once('drain', resolve);
    process.stdout.once('error', reject);
  });
}

async function main() {
  let args;
  try { args = parseArgs(process.argv.slice(2)); } catch (e) { console.error(e.message); return 2; }
  const { opts, pos } = args;
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', preserve_insertion_order: 'true' });
  const con = await instance.connect();
  if (!opts.batch) {
    try {
      await catFile(con, pos[0], opts, writeStdout);
      return 0;
    } catch (e) {
      console.error(`duckdb_cat: ${pos[0]}: ${e.message}`);
      return 1;
    }
  }
  const [listFile, outDir] = pos;
  const files = fs.readFileSync(listFile, 'utf8').split('\n').map((l) => l.replace(/\r$/, '')).filter(Boolean);
  fs.mkdirSync(outDir, { recursive: true });
  let failed = 0;
  for (const [index, file] of files.entries()) {
    const out = path.join(outDir, `${index}.jsonl`);
    const err = path.join(outDir, `${index}.err`);
    fs.rmSync(err, { force: true });
    const fd = fs.openSync(out, 'w');
    try {
      await catFile(con, file, opts, async (text) => { fs.writeSync(fd, text); });
      fs.closeSync(fd);
    } catch (e) {
      fs.closeSync(fd);
      fs.rmSync(out, { force: true });
      fs.writeFileSync(err, `${file}: ${e.message}\n`);
      failed++;
    }
  }
  console.error(`duckdb_cat: ${files.length - failed} read, ${failed} failed`);
  return 0;
}

process.exitCode = await main();
