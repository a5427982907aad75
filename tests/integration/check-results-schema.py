#!/usr/bin/env python3
"""check-results-schema.py: validates results files and batch documents against
docs/results.schema.json (the schema the README documents).

Usage: check-results-schema.py SCHEMA [--lines FILE]... [--document FILE]...
  --lines FILE     every line of a results file against the schema (a
                   header or a pair record); a torn last line is skipped
  --document FILE  a batch document (run --json of a batch, merge --json)
                   against $defs/batch_report

Exit status 0 if all are valid, 1 naming each invalid line, 77 when the
jsonschema module is not installed (python3-jsonschema)."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("the jsonschema module is not installed (python3-jsonschema)", file=sys.stderr)
    sys.exit(77)


def main(argv):
    schema = json.load(open(argv[1]))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    lines = cls(schema)
    document = cls({"$ref": "#/$defs/batch_report", "$defs": schema["$defs"]})
    bad = 0
    checked = 0
    args = argv[2:]
    for kind, path in zip(args[::2], args[1::2]):
        if kind == "--lines":
            text = open(path).read()
            for n, line in enumerate(text.split("\n")[:-1], 1):
                checked += 1
                for e in lines.iter_errors(json.loads(line)):
                    bad += 1
                    print(f"{path}:{n}: {e.json_path}: {e.message[:300]}")
        elif kind == "--document":
            checked += 1
            for e in document.iter_errors(json.load(open(path))):
                bad += 1
                print(f"{path}: {e.json_path}: {e.message[:300]}")
        else:
            print(f"unknown argument {kind}", file=sys.stderr)
            return 2
    print(f"{checked} checked, {bad} invalid")
    return 1 if bad or not checked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
