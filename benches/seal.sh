#!/usr/bin/env bash
# Benchmark of writing an archive to two media.
#
# A generated payload with SIZE_MB (default 2048) of attachment-like files plus a few thousand small
# pages is written, in the same run:
#   1. by `letopis seal-dir` (the writer `build` uses) to two media: each source file read once,
#      hashed, written to both, synced, dropped from the page cache and read back from the medium;
#   2. the manual way: `sha256sum` of the source into a manifest, `cp -r` to two folders, `sync`,
#      then `sha256sum -c` in both copies (which reads them back from the page cache, not the medium).
# Usage: bash benches/seal.sh [WORK_DIR]   (SIZE_MB=... to change the payload size)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-2048}
WORK=${1:-$(mktemp -d "${TMPDIR:-/tmp}/letopis-bench.XXXXXX")}
mkdir -p "$WORK"
cargo build --release --quiet
BIN=$PWD/target/release/letopis
cd "$WORK"

if [ ! -f src/.generated-$SIZE_MB ]; then
  rm -rf src && mkdir -p src/files/video src/files/scans src/learners src/raw
  echo "generating ${SIZE_MB} MB of attachments in $WORK/src ..." >&2
  left=$SIZE_MB; i=0
  while [ "$left" -gt 0 ]; do
    case $((i % 4)) in
      0) f=src/files/video/lecture-$i.mp4; mb=64 ;;
      1) f=src/files/scans/order-$i.pdf; mb=8 ;;
      2) f=src/files/scans/photo-$i.jpg; mb=2 ;;
      *) f=src/files/scans/protocol-$i.docx; mb=1 ;;
    esac
    [ "$mb" -gt "$left" ] && mb=$left
    head -c $((mb * 1048576)) /dev/urandom > "$f"
    left=$((left - mb)); i=$((i + 1))
  done
  for n in $(seq -w 1 3000); do
    printf '<!DOCTYPE html><html lang="ru"><body><h1>Слушатель %s</h1>%s</body></html>\n' "$n" \
      "$(head -c 3000 /dev/zero | tr '\0' 'x')" > src/learners/l-$n.html
  done
  seq 1 20000 | sed 's/^/L-/; s/$/;Смирнова;Анна;ПК-12/' > src/raw/learners.csv
  touch src/.generated-$SIZE_MB
fi
rm -f src/.generated-*; touch src/.generated-$SIZE_MB
files=$(find src -type f | wc -l)
bytes=$(du -sb src | cut -f1)
echo "payload: $files files, $bytes bytes" >&2
sync

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }

letopis_run() {
  rm -rf A B; sync
  local t0; t0=$(now)
  "$BIN" seal-dir src --name bench-2025 --out A --out B >/dev/null 2>letopis.err
  secs "$t0" "$(now)"
}
manual_run() {
  rm -rf C D manual.sha256; sync
  local t0; t0=$(now)
  (cd src && find . -type f -print0 | sort -z | xargs -0 sha256sum > ../manual.sha256)
  cp -r src C
  cp -r src D
  sync
  (cd C && sha256sum -c --quiet ../manual.sha256)
  (cd D && sha256sum -c --quiet ../manual.sha256)
  secs "$t0" "$(now)"
}

l1=$(letopis_run); m1=$(manual_run); l2=$(letopis_run); m2=$(manual_run)
mb=$(echo "$bytes / 1048576" | bc)
printf 'payload                      %d files, %d MB\n' "$files" "$mb"
printf 'letopis seal-dir A B         %6.2f s  %6.2f s   (read once, hash, write both, syncfs, read back from medium)\n' "$l1" "$l2"
printf 'sha256sum + cp -r x2 + sync\n  + sha256sum -c x2           %6.2f s  %6.2f s   (re-reads from the page cache)\n' "$m1" "$m2"
rm -rf A B C D manual.sha256
