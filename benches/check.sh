#!/usr/bin/env bash
# Benchmark of `letopis check` on a generated period (issue 2, deliverable 8):
# 20,000 learners, 1,000 groups, 2,000,000 attendance + grade rows. Target: < 10 s, < 1 GB.
#
#   benches/check.sh [--learners N] [--groups N] [--rows N] [--seed N]
#
# Builds release, generates the period into a temporary folder (removed at the end; set
# KEEP=1 to keep it), runs `/usr/bin/time -v target/release/letopis check DIR` and prints the
# wall time and the peak resident memory. Exits with check's exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
args=(--learners 20000 --groups 1000 --rows 2000000 --seed 1)
[ $# -gt 0 ] && args=("$@")

cargo build --release --quiet --bin letopis --example gen_period
dir=$(mktemp -d "${TMPDIR:-/tmp}/letopis-bench.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$dir"' EXIT
target/release/examples/gen_period "$dir/period" "${args[@]}"
echo "input: $(du -sh "$dir/period" | cut -f1) in $(find "$dir/period" -type f | wc -l) files"

set +e
/usr/bin/time -v -o "$dir/time.txt" target/release/letopis check "$dir/period" >"$dir/out.txt" 2>&1
rc=$?
set -e
tail -n 30 "$dir/out.txt"
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time.txt")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")
cpu=$(sed -n 's/.*Percent of CPU this job got: //p' "$dir/time.txt")
echo "letopis check: exit $rc, wall $wall, max RSS $((rss / 1024)) MiB ($rss kB), CPU $cpu"
exit "$rc"
