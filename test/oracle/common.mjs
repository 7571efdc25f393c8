// Shared part of the Parquet test oracles duckdb_cat.mjs and hyparquet_cat.mjs: loading their
// npm modules, the JSON Lines value encoding of `deltashare parquet cat` (see README.md beside
// this file), and the command line (single file and --batch mode).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

// ---------- oracle modules ----------

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const oracleDir = process.env.DS_ORACLE_DIR || path.join(repoRoot, 'build/oracles');
const requireOracle = createRequire(path.join(oracleDir, 'package.json'));

// Imports npm module `name` from build/oracles (or $DS_ORACLE_DIR); exits 2 if it is missing.
export async function loadOracleModule(name) {
  try {
    return await import(pathToFileURL(requireOracle.resolve(name)).href);
  } catch (e) {
    console.error(`cannot load ${name} from ${oracleDir} (run scripts/install-oracles.sh): ${e.message.split('\n')[0]}`);
    process.exit(2);
  }
}

// ---------- value encoding ----------

// Pre-formatted JSON text, emitted verbatim by toJson.
export class Raw { constructor(text) { this.text = text; } }

// Encodes null, boolean, number, BigInt, string, Array, Map (object, insertion order) or Raw.
export function toJson(v) {
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

// A double as JSON: shortest round-trip form, -0 kept, NaN/±Infinity as strings.
function numberJson(v) {
  if (Number.isNaN(v)) return '"NaN"';
  if (v === Infinity) return '"Infinity"';
  if (v === -Infinity) return '"-Infinity"';
  if (Object.is(v, -0)) return '-0';
  return JSON.stringify(v); // shortest round-trip for a double
}

// Shortest decimal that round-trips through float32 (FLOAT values arrive widened to double).
export function float32(v) {
  if (!Number.isFinite(v) || v === 0) return v;
  for (let p = 1; p < 9; p++) {
    const s = +v.toPrecision(p);
    if (Math.fround(s) === v) return new Raw(String(s));
  }
  return new Raw(String(+v.toPrecision(9)));
}

// Exact decimal text of the BigInt `unscaled` × 10^-scale.
export function decimalString(unscaled, scale) {
  const neg = unscaled < 0n;
  let digits = (neg ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = digits.slice(0, -scale) + '.' + digits.slice(-scale);
  }
  return (neg ? '-' : '') + digits;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

// Days since 1970-01-01 -> YYYY-MM-DD (proleptic Gregorian, H. Hinnant's civil_from_days).
export function dateString(days) {
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

// BigInt ticks since midnight (perSec = 10^digits) -> HH:MM:SS.fff...
export function timeString(ticks, digits) {
  const perSec = 10n ** BigInt(digits);
  const s = ticks / perSec;
  return `${pad(s / 3600n)}:${pad((s / 60n) % 60n)}:${pad(s % 60n)}.${pad(ticks % perSec, digits)}`;
}

// BigInt ticks since the epoch (perSec = 10^digits) -> YYYY-MM-DDTHH:MM:SS.fff...[Z]
export function timestampString(ticks, digits, utc) {
  const perDay = 86400n * 10n ** BigInt(digits);
  let days = ticks / perDay;
  let rem = ticks % perDay;
  if (rem < 0n) { rem += perDay; days -= 1n; }
  return `${dateString(Number(days))}T${timeString(rem, digits)}${utc ? 'Z' : ''}`;
}

// Bytes (Uint8Array) -> standard base64 text.
export const base64 = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

// ---------- reading limits ----------

// Largest uncompressed column chunk an oracle reads (bytes); JS strings hold < 2^29 characters.
export const MAX_CHUNK_BYTES = 2 ** 29;

// Throws if a column chunk of `size` bytes (number or BigInt) is over MAX_CHUNK_BYTES.
export function checkChunkSize(size) {
  if (size > MAX_CHUNK_BYTES) throw new Error(`a column chunk holds ${size} bytes, more than a JS oracle can hold`);
}

// ---------- command line ----------

// Parses `FILE | --batch LISTFILE OUTDIR` plus `--columns a,b` and `--limit N`; throws on misuse.
export function parseArgs(argv, prog) {
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
    throw new Error(`usage: ${prog}.mjs FILE [--columns a,b] [--limit N]\n` +
                    `       ${prog}.mjs --batch LISTFILE OUTDIR [--columns a,b] [--limit N]`);
  }
  return { opts, pos };
}

// Writes text to stdout; resolves once the stream accepts more (honours backpressure).
export function writeStdout(text) {
  return new Promise((resolve, reject) => {
    if (process.stdout.write(text)) resolve(); else process.stdout.once('drain', resolve);
    process.stdout.once('error', reject);
  });
}

// Prints one file's rows to stdout; returns 0, or 1 after printing the error.
async function catOne(prog, catFile, file, opts) {
  try {
    await catFile(file, opts, writeStdout);
    return 0;
  } catch (e) {
    console.error(`${prog}: ${file}: ${e.message}`);
    return 1;
  }
}

// Reads each file of LISTFILE into OUTDIR/i.jsonl, or OUTDIR/i.err on failure; returns 0.
async function catBatch(prog, catFile, listFile, outDir, opts) {
  const files = fs.readFileSync(listFile, 'utf8').split('\n').map((l) => l.replace(/\r$/, '')).filter(Boolean);
  fs.mkdirSync(outDir, { recursive: true });
  let failed = 0;
  for (const [index, file] of files.entries()) {
    const out = path.join(outDir, `${index}.jsonl`);
    const err = path.join(outDir, `${index}.err`);
    fs.rmSync(err, { force: true });
    const fd = fs.openSync(out, 'w');
    try {
      await catFile(file, opts, async (text) => { fs.writeSync(fd, text); });
      fs.closeSync(fd);
    } catch (e) {
      fs.closeSync(fd);
      fs.rmSync(out, { force: true });
      fs.writeFileSync(err, `${file}: ${e.message}\n`);
      failed++;
    }
  }
  console.error(`${prog}: ${files.length - failed} read, ${failed} failed`);
  return 0;
}

// Runs the command line of oracle `prog`. openReader() is called once the arguments are valid
// and returns catFile(file, opts, write), which passes JSON Lines text to `await write(text)`.
// Returns the exit code: 0, 1 (single file unreadable) or 2 (bad usage).
export async function runCli(prog, openReader) {
  let args;
  try { args = parseArgs(process.argv.slice(2), prog); } catch (e) { console.error(e.message); return 2; }
  const { opts, pos } = args;
  const catFile = await openReader();
  if (!opts.batch) return catOne(prog, catFile, pos[0], opts);
  return catBatch(prog, catFile, pos[0], pos[1], opts);
}
