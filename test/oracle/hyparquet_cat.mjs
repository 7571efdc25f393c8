#!/usr/bin/env node
// Test oracle: reads a Parquet file with hyparquet (+ hyparquet-compressors) and prints its rows
// as JSON Lines in the encoding of `deltashare parquet cat` (see README.md beside this file).
//
//   node hyparquet_cat.mjs FILE [--columns a,b] [--limit N]
//   node hyparquet_cat.mjs --batch LISTFILE OUTDIR [--columns a,b] [--limit N]
//
// hyparquet decodes pages, levels and nesting (Dremel assembly). To keep values exact, its lossy
// conversions are bypassed: identity parsers hand out raw days/ticks/bytes, and a copy of the
// metadata without DECIMAL annotations yields raw unscaled integers. LIST/MAP annotations are
// removed from that copy too, so hyparquet returns plain nested groups, and this script applies
// the Parquet LIST/MAP rules (incl. legacy lists) from the original schema, preserving map order.
//
// Modules come from build/oracles/node_modules (scripts/install-oracles.sh), or $DS_ORACLE_DIR.
import fs from 'node:fs';
import {
  base64, checkChunkSize, dateString, decimalString, float32, loadOracleModule, runCli,
  timeString, timestampString, toJson,
} from './common.mjs';

const { parquetMetadata, parquetRead, parquetSchema } = await loadOracleModule('hyparquet');
const { compressors } = await loadOracleModule('hyparquet-compressors');

// ---------- hyparquet value -> encoding, driven by the original Parquet schema ----------

const utf8 = new TextDecoder();
const identity = (x) => x;
const PARSERS = { // keep raw values: exact ticks, days and bytes
  timestampFromMilliseconds: identity,
  timestampFromMicroseconds: identity,
  timestampFromNanoseconds: identity,
  dateFromDays: identity,
  jsonFromBytes: (b) => b && utf8.decode(b),
  geometryFromBytes: identity,
  geographyFromBytes: identity,
};

const isList = (el) => el.converted_type === 'LIST' || el.logical_type?.type === 'LIST';
const isMap = (el) => el.converted_type === 'MAP' || el.logical_type?.type === 'MAP' ||
  (el.converted_type === 'MAP_KEY_VALUE' && el.repetition_type !== 'REPEATED'); // legacy MAP
const isDecimal = (el) => el.converted_type === 'DECIMAL' || el.logical_type?.type === 'DECIMAL';

// The copy of the schema hyparquet reads with: no LIST/MAP/DECIMAL/BSON annotations, and INT96
// marked so that hyparquet hands out the raw 96-bit value (see int96Micros).
function stripAnnotations(el) {
  if (el.type === 'INT96') return { ...el, converted_type: 'RAW_INT96' };
  const strip = ['LIST', 'MAP', 'MAP_KEY_VALUE', 'DECIMAL', 'BSON'];
  if (!strip.includes(el.converted_type) && !strip.includes(el.logical_type?.type)) return el;
  return { ...el, converted_type: undefined, logical_type: undefined };
}

function signedBigInt(bytes) { // big-endian two's complement
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return bytes.length && bytes[0] & 0x80 ? v - (1n << BigInt(8 * bytes.length)) : v;
}

function leaf(v, el) {
  const lt = el.logical_type;
  const ct = el.converted_type;
  if (isDecimal(el)) {
    const unscaled = v instanceof Uint8Array ? signedBigInt(v) : BigInt(v);
    return decimalString(unscaled, lt?.scale ?? el.scale ?? 0);
  }
  switch (el.type) {
    case 'BOOLEAN': case 'DOUBLE': return v;
    case 'FLOAT': return float32(v);
    case 'INT96': return timestampString(int96Micros(v), 6, true);
    case 'INT32':
      if (ct === 'DATE' || lt?.type === 'DATE') return dateString(v);
      if (ct === 'TIME_MILLIS' || lt?.type === 'TIME') return timeString(BigInt(v) * 1000n, 6);
      if (v < 0 && (ct?.startsWith('UINT_') || lt?.type === 'INTEGER' && !lt.isSigned)) return v + 2 ** 32;
      return v;
    case 'INT64': {
      const unit = lt?.unit ?? { TIMESTAMP_MILLIS: 'MILLIS', TIMESTAMP_MICROS: 'MICROS', TIME_MICROS: 'MICROS' }[ct];
      if (lt?.type === 'TIMESTAMP' || ct?.startsWith('TIMESTAMP_')) {
        const utc = lt ? lt.isAdjustedToUTC : true; // legacy converted types are UTC-adjusted
        if (unit === 'NANOS') return timestampString(v, 9, utc);
        return timestampString(unit === 'MILLIS' ? v * 1000n : v, 6, utc);
      }
      if (lt?.type === 'TIME' || ct === 'TIME_MICROS') {
        return unit === 'NANOS' ? timeString(v, 9) : timeString(unit === 'MILLIS' ? v * 1000n : v, 6);
      }
      return v; // hyparquet already made UINT_64 unsigned
    }
    case 'BYTE_ARRAY': case 'FIXED_LEN_BYTE_ARRAY':
      if (!(v instanceof Uint8Array)) return v; // strings, JSON text, UUID, FLOAT16 (number)
      if (ct === 'ENUM' || lt?.type === 'ENUM') return utf8.decode(v);
      return base64(v);
  }
  throw new Error(`unsupported physical type ${el.type}`);
}

// hyparquet reads INT96 as BigInt(julianDay) << 64n | nanosOfDay (a negative nanosOfDay
// swallows the day). Spark/Impala write nanosOfDay in [0, 86400e9).
function int96Micros(raw) {
  const nanos = BigInt.asIntN(64, raw);
  if (nanos < 0n || nanos >= 86400n * 10n ** 9n) throw new Error(`INT96 nanoseconds of day out of range: ${nanos}`);
  const micros = ((raw >> 64n) - 2440588n) * 86400n * 10n ** 6n + nanos / 1000n;
  if (BigInt.asIntN(64, micros) !== micros) throw new Error(`INT96 timestamp out of int64 microseconds: ${micros}`);
  return micros;
}

// A REPEATED node is a list (hyparquet gives null for an empty one); else see value().
function node(v, n) {
  if (n.element.repetition_type !== 'REPEATED') return value(v, n);
  return (v ?? []).map((x) => value(x, n));
}

const name = (n) => n.element.name;

function value(v, n) {
  if (v === null || v === undefined) return null;
  const el = n.element;
  if (!n.children.length) return leaf(v, el);
  if (el.logical_type?.type === 'VARIANT') throw new Error(`unsupported logical type VARIANT (${name(n)})`);
  if (isList(el)) {
    const x = n.children[0];
    if (n.children.length !== 1 || x.element.repetition_type !== 'REPEATED') {
      throw new Error(`malformed LIST group ${name(n)}`);
    }
    const items = v[name(x)] ?? [];
    const legacy = !x.children.length || x.children.length > 1 ||
      x.children[0].element.repetition_type === 'REPEATED' ||
      name(x) === 'array' || name(x) === `${name(n)}_tuple`;
    if (legacy) return items.map((i) => value(i, x)); // X itself is the (required) element
    const e = x.children[0];
    return items.map((i) => (i === null || i === undefined ? null : node(i[name(e)], e)));
  }
  if (isMap(el)) {
    const kv = n.children[0];
    if (n.children.length !== 1 || kv.element.repetition_type !== 'REPEATED' ||
        !kv.children.length || kv.children.length > 2) {
      throw new Error(`malformed MAP group ${name(n)}`);
    }
    const [k, val] = kv.children;
    return (v[name(kv)] ?? []).map((e) => new Map([
      ['key', node(e[name(k)], k)],
      ['value', val ? node(e[name(val)], val) : null]]));
  }
  return new Map(n.children.map((c) => [name(c), node(v[name(c)], c)]));
}

// ---------- reading ----------


async function catFile(file, opts, write) {
  const buf = fs.readFileSync(file);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const metadata = parquetMetadata(ab, { parsers: PARSERS });
  for (const chunk of metadata.row_groups.flatMap((g) => g.columns)) {
    checkChunkSize(chunk.meta_data?.total_uncompressed_size ?? 0n);
  }
  const tree = parquetSchema(metadata);
  let top = tree.children;
  if (opts.columns) { // keys stay in schema order, like deltashare
    const missing = opts.columns.filter((c) => !top.some((n) => name(n) === c));
    if (missing.length) throw new Error(`no such column: ${missing.join(', ')}`);
    top = top.filter((n) => opts.columns.includes(name(n)));
  }
  if (!top.length || opts.limit === 0) return;
  const stripped = { ...metadata, schema: metadata.schema.map(stripAnnotations) };
  let rows = [];
  await parquetRead({
    file: ab, metadata: stripped, compressors, parsers: PARSERS, utf8: false,
    columns: top.map(name), rowFormat: 'object', rowEnd: opts.limit,
    onComplete: (r) => { rows = r; },
  });
  let text = '';
  for (const row of rows) {
    text += toJson(new Map(top.map((n) => [name(n), node(row[name(n)], n)]))) + '\n';
    if (text.length > 1 << 20) { await write(text); text = ''; }
  }
  await write(text);
}

// ---------- command line (common.mjs) ----------

process.exitCode = await runCli('hyparquet_cat', async () => catFile);
