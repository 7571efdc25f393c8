#!/usr/bin/python3
"""Parses a Prometheus text exposition with the official client's parser.

Prints one line per sample, "name{label=value,...} value", sorted, so a C++ test can check
that our renderer's output means what it should to a real Prometheus consumer. Exits 77 when
prometheus_client is not installed (the caller skips), 1 if the text does not parse.
"""
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.exit(77)


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    lines = []
    try:
        for family in text_string_to_metric_families(text):
            lines.append("# %s %s %s" % (family.name, family.type, family.documentation))
            for s in family.samples:
                labels = ",".join("%s=%s" % (k, v) for k, v in sorted(s.labels.items()))
                lines.append("%s{%s} %r" % (s.name, labels, float(s.value)))
    except Exception as e:  # the parser raises ValueError and friends on bad input
        print("parse error: %s" % e)
        sys.exit(1)
    print("\n".join(sorted(lines)))


if __name__ == "__main__":
    main()
