#!/usr/bin/python3
"""Compare two JSON Lines files row by row (test oracle helper; Debian python3, stdlib only).

usage: compare_jsonl.py EXPECTED.jsonl ACTUAL.jsonl [--float-tolerance T] [--unordered]
                        [--timestamp-precision ms|us|s] [--max-diffs N]

Exit 0 if equal, 1 if not (the first differences are printed), 2 on bad input.

Equality is deep and structural (object key order is ignored). Numbers: two integer literals
must be exactly equal, always (int64/uint64 stay exact); otherwise numbers are compared by value
(1 == 1.0) and, with --float-tolerance T, also match when their relative difference is <= T or
they round to the same float32 (1.1 vs 1.100000023841858; float32 subnormals).
--timestamp-precision truncates the fraction of timestamp/time strings on both sides.
--unordered compares the rows as multisets.
"""
import argparse
import json
import math
import re
import struct
import sys

TIMESTAMP = re.compile(r'^(-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d|\d\d:\d\d:\d\d)(?:\.(\d+))?(Z?)$')
DIGITS = {'s': 0, 'ms': 3, 'us': 6}


class Int(int):
    """An integer that was written as an integer literal."""


class BadInput(Exception):
    pass


def load(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line, parse_int=Int))
            except json.JSONDecodeError as e:
                raise BadInput(f'{path}:{n}: invalid JSON: {e}') from None
    return rows


def truncate_timestamps(v, digits):
    if isinstance(v, str):
        m = TIMESTAMP.match(v)
        if m:
            frac = (m.group(2) or '')[:digits].ljust(digits, '0')
            return m.group(1) + ('.' + frac if digits else '') + m.group(3)
        return v
    if isinstance(v, list):
        return [truncate_timestamps(x, digits) for x in v]
    if isinstance(v, dict):
        return {k: truncate_timestamps(x, digits) for k, x in v.items()}
    return v


def as_float32(x):
    try:
        return struct.unpack('f', struct.pack('f', x))[0]
    except OverflowError:
        return None


def numbers_equal(a, b, tol):
    if isinstance(a, Int) and isinstance(b, Int):
        return int(a) == int(b)
    if a == b:
        return True
    if not tol:
        return False
    fa, fb = float(a), float(b)
    if math.isclose(fa, fb, rel_tol=tol, abs_tol=0.0):
        return True
    f32 = as_float32(fa)
    return f32 is not None and f32 == as_float32(fb)


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def diff(a, b, tol, path='$'):
    """Returns (path, expected, actual) of the first difference, or None."""
    if is_number(a) and is_number(b):
        return None if numbers_equal(a, b, tol) else (path, a, b)
    if type(a) is not type(b) and not (is_number(a) and is_number(b)):
        return (path, a, b)
    if isinstance(a, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                return (f'{path}.{k}', a.get(k, '<missing>'), b.get(k, '<missing>'))
            d = diff(a[k], b[k], tol, f'{path}.{k}')
            if d:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = diff(x, y, tol, f'{path}[{i}]')
            if d:
                return d
        if len(a) != len(b):
            return (f'{path}.length', len(a), len(b))
        return None
    return None if a == b else (path, a, b)


def show(v):
    return v if isinstance(v, str) and v == '<missing>' else json.dumps(v)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('expected')
    p.add_argument('actual')
    p.add_argument('--float-tolerance', type=float, default=0.0)
    p.add_argument('--unordered', action='store_true')
    p.add_argument('--timestamp-precision', choices=sorted(DIGITS))
    p.add_argument('--max-diffs', type=int, default=5)
    args = p.parse_args()
    try:
        expected, actual = load(args.expected), load(args.actual)
    except (OSError, UnicodeDecodeError, BadInput) as e:
        print(e, file=sys.stderr)
        return 2
    if args.timestamp_precision:
        digits = DIGITS[args.timestamp_precision]
        expected = truncate_timestamps(expected, digits)
        actual = truncate_timestamps(actual, digits)
    tol = args.float_tolerance

    diffs = []  # (description, path, expected, actual)
    if args.unordered:
        # Exact matches first (canonical text), then tolerant pairing of what is left.
        def key(r):
            return json.dumps(r, sort_keys=True)
        pool = {}
        for i, r in enumerate(actual):
            pool.setdefault(key(r), []).append(i)
        left_e = []
        for i, r in enumerate(expected):
            hits = pool.get(key(r))
            if hits:
                hits.pop()
            else:
                left_e.append(i)
        left_a = sorted(i for hits in pool.values() for i in hits)
        for i in left_e:
            j = next((j for j in left_a if diff(expected[i], actual[j], tol) is None), None)
            if j is None:
                diffs.append((f'expected row {i + 1} has no match in actual', '$', expected[i], None))
            else:
                left_a.remove(j)
        for j in left_a:
            diffs.append((f'actual row {j + 1} has no match in expected', '$', None, actual[j]))
    else:
        for i, (x, y) in enumerate(zip(expected, actual)):
            d = diff(x, y, tol)
            if d:
                diffs.append((f'row {i + 1}', *d))
    count_msg = None
    if len(expected) != len(actual):
        count_msg = f'row count differs: expected {len(expected)}, actual {len(actual)}'

    if not diffs and not count_msg:
        return 0
    print(f'{args.expected} vs {args.actual}: differ')
    if count_msg:
        print(count_msg)
    for desc, path, e, a in diffs[:args.max_diffs]:
        if args.unordered:
            print(f'{desc}: {json.dumps(e if a is None else a)}')
        else:
            print(f'{desc}: {path}: expected {show(e)}, actual {show(a)}')
    if len(diffs) > args.max_diffs:
        print(f'... {len(diffs) - args.max_diffs} more differing rows')
    return 1


if __name__ == '__main__':
    sys.exit(main())
