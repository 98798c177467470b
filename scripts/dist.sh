#!/usr/bin/env bash
# Builds what is handed out to administrators who do not have Rust, into dist/:
#   letopis-VERSION-windows-x64.zip      letopis.exe, «Как пользоваться.txt», the sample as «пример»
#   letopis-VERSION-linux-x64.tar.gz     a static (musl) letopis for any x86-64 Linux, same files
# each with a .sha256 file (`sha256sum -c` format) and SHA256SUMS over the archives and the
# programs inside them. Release builds, symbols stripped (Cargo.toml's release profile).
# The archives are reproducible: sorted entries, fixed times and owners.
#
# Needs: the Rust targets x86_64-pc-windows-gnu and x86_64-unknown-linux-musl, Debian's
# gcc-mingw-w64-x86-64 and musl-tools, python3 (for the zip). Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need_apt=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need_apt+=(gcc-mingw-w64-x86-64)
command -v musl-gcc >/dev/null 2>&1 || need_apt+=(musl-tools)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
for t in x86_64-pc-windows-gnu x86_64-unknown-linux-musl; do
  rustup target list --installed | grep -qx "$t" || rustup target add "$t"
done

version=$(cargo metadata --no-deps --format-version 1 |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["packages"][0]["version"])')
# Archive times: the last commit's, so that the same commit gives the same bytes.
epoch=$(git log -1 --format=%ct 2>/dev/null || echo 1767225600)

cargo build --release --locked --bin letopis --target x86_64-pc-windows-gnu
CC_x86_64_unknown_linux_musl=musl-gcc \
  cargo build --release --locked --bin letopis --target x86_64-unknown-linux-musl
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
exe="$target_dir/x86_64-pc-windows-gnu/release/letopis.exe"
elf="$target_dir/x86_64-unknown-linux-musl/release/letopis"

# The Linux program must be static and must work: check and build the sample, verify it.
if readelf -d "$elf" | grep -q NEEDED; then
  echo "dist: $elf is not static" >&2
  exit 1
fi
trial=$(mktemp -d)
trap 'rm -rf "$trial"' EXIT
"$elf" check sample-data -q >/dev/null
"$elf" build sample-data --out "$trial/a" --draft -q
"$elf" verify "$trial/a" >/dev/null

rm -rf dist
mkdir -p dist
stage="$trial/stage"
pack() { # pack NAME PROGRAM PROGRAM_NAME LINE_ENDINGS
  local name=$1 program=$2 program_name=$3 crlf=$4 dir="$stage/$1"
  mkdir -p "$dir"
  cp "$program" "$dir/$program_name"
  cp -r sample-data "$dir/пример"
  if [ "$crlf" = crlf ]; then
    # Notepad of every Windows version reads UTF-8 with a BOM and CRLF line ends.
    printf '\xef\xbb\xbf' >"$dir/Как пользоваться.txt"
    sed 's/$/\r/' "scripts/dist/Как пользоваться.txt" >>"$dir/Как пользоваться.txt"
  else
    cp "scripts/dist/Как пользоваться.txt" "$dir/"
  fi
}

win="letopis-$version-windows-x64"
pack "$win" "$exe" letopis.exe crlf
python3 - "$stage" "$win" "$root/dist/$win.zip" "$epoch" <<'EOF'
import os, sys, time, zipfile
stage, name, out, epoch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
when = time.gmtime(max(epoch, 315532800))[:6]
paths = []
for d, dirs, files in os.walk(os.path.join(stage, name)):
    for f in files:
        paths.append(os.path.relpath(os.path.join(d, f), stage))
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for p in sorted(paths):
        info = zipfile.ZipInfo(p.replace(os.sep, "/"), when)
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(stage, p), "rb") as f:
            z.writestr(info, f.read())
EOF

lin="letopis-$version-linux-x64"
pack "$lin" "$elf" letopis lf
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
  --mode='u+rwX,go+rX,go-w' -C "$stage" -cf - "$lin" | gzip -9n >"dist/$lin.tar.gz"

cp "$exe" "dist/letopis.exe"
cp "$elf" "dist/letopis-linux-x64"
cd dist
for f in "$win.zip" "$lin.tar.gz" letopis.exe letopis-linux-x64; do
  sha256sum "$f" >"$f.sha256"
done
sha256sum "$win.zip" "$lin.tar.gz" letopis.exe letopis-linux-x64 >SHA256SUMS
ls -l
cat SHA256SUMS
