#!/usr/bin/env bash
# Issue 17's acceptance on a large period, with the tools a user of the archive will have:
# the reference Frictionless validator, pandas with default arguments, LibreOffice headless.
#
#   benches/records_check.sh INPUT ARCHIVE
#
# INPUT is the period's input folder (e.g. examples/gen_period.rs's, 20,000 learners), ARCHIVE
# the archive `letopis build INPUT` wrote from it. Uses target/release/letopis (build it first).
# Prints, each with its wall time:
#   1. `frictionless validate datapackage.json` (exit code, how many resources are VALID);
#   2. pandas `read_csv(f)` with default arguments: rows per table, and the rows per source file
#      against `letopis check --json`'s kept counts (must be equal);
#   3. `soffice --headless --convert-to csv` of every sheet of the workbook: data rows per
#      table (sheets `Title`, `Title (2)`… summed) against the CSV's (must be equal).
# Exits 1 when any of them disagrees.
set -euo pipefail
input=$(realpath "$1")
records=$(realpath "$2")/data/records
cd "$(dirname "$0")/.."
letopis=${LETOPIS:-target/release/letopis}
work=$(mktemp -d "${TMPDIR:-/tmp}/letopis-records.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
fail=0
secs() { date +%s.%N; }

echo "== frictionless validate ($records)"
t0=$(secs)
set +e
(cd "$records" && frictionless validate datapackage.json) >"$work/frictionless.txt" 2>&1
rc=$?
set -e
t1=$(secs)
valid=$(grep -c "VALID" "$work/frictionless.txt" || true)
invalid=$(grep -c "INVALID" "$work/frictionless.txt" || true)
printf 'exit %d, %d resources VALID, %d INVALID, %.1f s\n' "$rc" "$((valid - invalid))" "$invalid" "$(echo "$t1 - $t0" | bc)"
[ "$rc" = 0 ] || { tail -n 40 "$work/frictionless.txt"; fail=1; }

echo "== pandas read_csv with default arguments, against letopis check --json"
"$letopis" check "$input" --json >"$work/check.json" 2>/dev/null || true
t0=$(secs)
python3 - "$records" "$work/check.json" "$work/rows.json" <<'EOF' || fail=1
import glob, json, os, sys
import pandas as pd
records, check, out = sys.argv[1:]
kept = {f["path"]: f["kept"] for f in json.load(open(check))["files"] if f["kept"]}
rows, by_source = {}, {}
for f in sorted(glob.glob(os.path.join(records, "*.csv"))):
    d = pd.read_csv(f)
    name = os.path.basename(f)
    rows[name] = len(d)
    if list(d.columns[-3:]) == ["extra", "source_file", "source_line"]:
        for k, v in d["source_file"].value_counts().items():
            by_source[k] = by_source.get(k, 0) + int(v)
json.dump(rows, open(out, "w"))
for name, n in rows.items():
    print(f"{name:28} {n:>9} rows")
bad = {k: (by_source.get(k), kept.get(k)) for k in set(kept) | set(by_source) if by_source.get(k) != kept.get(k)}
print(f"{len(rows)} tables, {sum(by_source.values())} record rows from {len(by_source)} input files;"
      f" check kept {sum(kept.values())}: " + ("equal" if not bad else f"DIFFERENT {bad}"))
sys.exit(1 if bad else 0)
EOF
t1=$(secs)
printf 'pandas: %.1f s\n' "$(echo "$t1 - $t0" | bc)"

echo "== LibreOffice headless, every sheet of the workbook to CSV"
book=$(ls "$records"/*.xlsx)
t0=$(secs)
soffice "-env:UserInstallation=file://$work/profile" --headless --convert-to \
  "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false,-1" \
  --outdir "$work/sheets" "$book" >"$work/soffice.txt" 2>&1 || { cat "$work/soffice.txt"; fail=1; }
t1=$(secs)
python3 - "$records" "$work/sheets" "$work/rows.json" "$(basename "$book" .xlsx)" <<'EOF' || fail=1
import csv, glob, json, os, re, sys
records, sheets, rows_file, stem = sys.argv[1:]
pkg = json.load(open(os.path.join(records, "datapackage.json")))
title_of = {r["title"]: r["path"] for r in pkg["resources"]}
rows = json.load(open(rows_file))
got = {}
for f in glob.glob(os.path.join(sheets, "*.csv")):
    sheet = os.path.basename(f)[len(stem) + 1:-4]
    title = re.sub(r" \(\d+\)$", "", sheet)
    with open(f, newline="", encoding="utf-8") as h:
        n = sum(1 for _ in csv.reader(h)) - 1
    path = title_of[title]
    got[path] = got.get(path, 0) + n
bad = {p: (got.get(p), n) for p, n in rows.items() if got.get(p, 0) != n}
print(f"{len(glob.glob(os.path.join(sheets, '*.csv')))} sheets, {sum(got.values())} data rows: "
      + ("the same rows per table as the CSV files" if not bad else f"DIFFERENT {bad}"))
sys.exit(1 if bad else 0)
EOF
printf 'soffice: %.1f s\n' "$(echo "$t1 - $t0" | bc)"
exit "$fail"
