#!/usr/bin/env bash
# The whole `letopis search` process on a medium, as staff run it: for each query, RUNS runs
# (after one not counted), the wall time of each from start to exit, then p50 / p95 in ms, the
# exit code and the command's last line (how many were found).
#
#   benches/search_cli.sh MEDIUM [RUNS] -- QUERY...
#
# Uses target/release/letopis unless LETOPIS names another binary. The output goes to a file,
# outside the time; the last run's last line is shown.
set -euo pipefail
medium=$1
shift
runs=21
if [ "${1:-}" != "--" ]; then runs=$1; shift; fi
[ "${1:-}" = "--" ] && shift
letopis=${LETOPIS:-$(dirname "$0")/../target/release/letopis}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
printf '%-28s %8s %8s  %s\n' query "p50 ms" "p95 ms" "exit, last line"
for q in "$@"; do
  "$letopis" search "$medium" "$q" >/dev/null 2>&1 || true
  times=()
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N)
    set +e
    "$letopis" search "$medium" "$q" >"$out" 2>&1
    rc=$?
    set -e
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
    last=$(tail -n 1 "$out")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  p50=$(echo "$sorted" | sed -n "$(((runs + 1) / 2))p")
  p95=$(echo "$sorted" | sed -n "$(((runs * 95 + 99) / 100))p")
  printf '%-28s %8.1f %8.1f  %s, %s\n' "$q" "$(echo "$p50 / 1000" | bc -l)" "$(echo "$p95 / 1000" | bc -l)" "$rc" "$last"
done
