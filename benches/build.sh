#!/usr/bin/env bash
# Benchmark of `letopis build` (issue 18): interleaved rounds, in one session, of
#   - `letopis build PERIOD --out A --out B` (two media) of a generated period,
#   - Hugo on an equivalent site (benches/hugo_site.py: the same learners, groups, grades and
#     attendance as Markdown pages), when `hugo` is installed (Debian: apt-get install hugo),
#   - and, with BASE_BIN=/path/to/letopis, a previous Letopis build (e.g. built from an older
#     commit into its own target dir) on the same period,
# each under `/usr/bin/time -v`: wall, CPU (user + sys) and CPU ÷ wall, peak RSS, bytes written.
# Each round starts with the next tool in turn, every run waits for the disks to be idle, and no
# output is deleted just before a run (see make_room): a run right after another paid for its
# write-back and for its deleted files, which favoured whichever tool always ran first.
# Not a timed test: the figures go into the session note, with the load of the machine.
#
#   benches/build.sh                       # 20,000 learners, 3 rounds, then 80,000 learners, 1 round
#   SIZES="20000" ROUNDS=5 benches/build.sh
#   BASE_BIN=/tmp/letopis-295cee6 benches/build.sh
#
# Environment: SIZES (learners, each with learners/20 groups and 100 rows a learner), ROUNDS
# (rounds at the first size; later sizes get one), HUGO_SIZES and BASE_SIZES (sizes Hugo and
# BASE_BIN run at; default the first: the old build also wrote a full scratch copy), BENCH_DIR
# (work folder, default a temporary one, removed at the end unless KEEP=1), MIN_FREE_GB and
# RECENT_S (see make_room), COLD=1 (see run).
# The outputs are kept until the disk runs short (MIN_FREE_GB): at 80,000 learners two media hold 12 GB.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=(${SIZES:-20000 80000})
rounds=${ROUNDS:-3}
hugo_sizes=" ${HUGO_SIZES:-${sizes[0]}} "
base_sizes=" ${BASE_SIZES:-${sizes[0]}} "

cargo build --release --quiet --bin letopis --example gen_period
bin=$PWD/target/release/letopis
dir=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/letopis-build-bench.XXXXXX")}
mkdir -p "$dir"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$dir"' EXIT
results=$dir/results.tsv
printf 'learners\tround\ttool\texit\twall_s\tcpu_s\tcpu_per_wall\tmax_rss_mb\tout_bytes\tcpu_per_wall_before_media\n' >"$results"

# settle: waits (at most a minute) until the disks have been idle for a second.
settle() {
    local busy before after i
    busy() { awk '$3 !~ /[0-9]$/ || $3 ~ /^nvme[0-9]+n[0-9]+$/ { t += $13 } END { print t + 0 }' /proc/diskstats; }
    for i in $(seq 1 60); do
        before=$(busy)
        sleep 1
        after=$(busy)
        [ $((after - before)) -lt 20 ] && return 0
    done
}

# make_room: the runs' outputs are kept until the disk holding them has less than MIN_FREE_GB
# (default 20) free; then they are all removed, and the next run waits RECENT_S seconds (default
# 65). Deleting tens of thousands of files just before a run made it pay for them: ext4 without
# a journal skips inodes deleted in the last 60 seconds (5 minutes while their table block is
# dirty) when it makes a file, one by one (`recently_deleted`), so a build creating 100,000 files
# right after deleting as many spent half its CPU there (sys time 11 s alone, 55 s after a
# deletion). A user writes to a medium that has not just lost 100,000 files.
# RECENT_S covers the deletion of a few runs' outputs; after deleting a million files this
# machine stayed slow for more than 5 minutes.
make_room() {
    local free_gb
    free_gb=$(df -P -BG "$dir" | awk 'NR == 2 { sub("G", "", $4); print $4 }')
    if [ "$free_gb" -lt "${MIN_FREE_GB:-20}" ]; then clear_outputs; fi
}

# clear_outputs: removes every run's output, if any, and waits RECENT_S seconds.
clear_outputs() {
    compgen -G "$dir/out-*" >/dev/null || return 0
    rm -rf "$dir"/out-*
    sync
    sleep "${RECENT_S:-65}"
}

# Outputs left by an earlier run of this script (KEEP=1) go first, with the same wait.
clear_outputs

# run LEARNERS ROUND TOOL OUT_DIR COMMAND...: one timed run, a line of results.tsv.
run() {
    local n=$1 r=$2 tool=$3 out=$4
    shift 4
    make_room
    mkdir -p "$out"
    sync
    # COLD=1 (as root): every run starts with an empty page cache, as a build made once a year
    # does; by default the cache holds the earlier rounds' outputs.
    if [ "${COLD:-0}" = 1 ] && [ -w /proc/sys/vm/drop_caches ]; then
        echo 3 >/proc/sys/vm/drop_caches
    fi
    settle
    local rc=0
    /usr/bin/time -v -o "$dir/time.txt" "$@" >"$dir/log.txt" 2>&1 || rc=$?
    local wall cpu rss bytes
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$dir/time.txt")
    cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{print u+s}' "$dir/time.txt")
    rss=$(awk -F': ' '/Maximum resident/{printf "%d", $2/1024}' "$dir/time.txt")
    bytes=$(du -sb "$out" 2>/dev/null | cut -f1 || true)
    # Letopis -v: every stage's wall and CPU time; the stages before the media (reading, pages,
    # indexes) are the ones that should keep both cores busy, the media stage waits on the disks.
    local before
    # (The index stage also gives the pages their head start on the media: it counts.)
    before=$(awk '/^letopis: .*: [0-9,]+ с, процессорное время [0-9,]+ с$/ && !/^letopis: запись/ {
            n = split($0, f, " "); w += comma(f[n - 5]); c += comma(f[n - 1]); k++ }
        function comma(x) { sub(",", ".", x); return x + 0 }
        END { if (k) printf "%.2f", c / (w + 0.001); else print "-" }' "$dir/log.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%s\t%s\t%s\n' "$n" "$r" "$tool" "$rc" "$wall" "$cpu" \
        "$(echo "$cpu / ($wall + 0.001)" | bc -l)" "$rss" "${bytes:-0}" "$before" | tee -a "$results"
    if [ "$rc" != 0 ]; then tail -n 20 "$dir/log.txt"; fi
}

for i in "${!sizes[@]}"; do
    n=${sizes[$i]}
    period=$dir/period-$n
    if [ ! -d "$period" ]; then
        target/release/examples/gen_period "$period" --learners "$n" --groups $((n / 20)) \
            --rows $((n * 100)) --seed 1 >/dev/null
    fi
    with_hugo=0
    if command -v hugo >/dev/null && [[ $hugo_sizes == *" $n "* ]]; then
        with_hugo=1
        [ -d "$dir/site-$n" ] || python3 benches/hugo_site.py "$period" "$dir/site-$n"
    fi
    echo "== $n learners: input $(du -sh "$period" | cut -f1); load $(cut -d' ' -f1-3 /proc/loadavg)"
    r_max=$rounds
    [ "$i" -gt 0 ] && r_max=1
    tools=(letopis)
    [ -n "${BASE_BIN:-}" ] && [[ $base_sizes == *" $n "* ]] && tools+=(letopis-base)
    [ "$with_hugo" = 1 ] && tools+=(hugo)
    for r in $(seq 1 "$r_max"); do
        # Each round starts with the next tool: a run pays for the disk's work left by the run
        # before it (write-back, freeing the deleted output), so no tool is always first.
        for k in "${!tools[@]}"; do
            case ${tools[$(((k + r - 1) % ${#tools[@]}))]} in
            letopis) o=$dir/out-$n-$r-letopis
                run "$n" "$r" letopis "$o" "$bin" build "$period" -v --lang ru --out "$o/A" --out "$o/B" ;;
            letopis-base) o=$dir/out-$n-$r-base
                run "$n" "$r" letopis-base "$o" "$BASE_BIN" build "$period" -q --out "$o/A" --out "$o/B" ;;
            hugo) o=$dir/out-$n-$r-hugo
                run "$n" "$r" hugo "$o" hugo --quiet -s "$dir/site-$n" -d "$o" ;;
            esac
        done
    done
done

rm -rf "$dir"/out-*

echo "== medians (wall s, CPU s, CPU/wall, max RSS MB, bytes); load $(cut -d' ' -f1-3 /proc/loadavg)"
awk -F'\t' 'NR > 1 { k = $1 "\t" $3; n[k]++; w[k, n[k]] = $5; c[k, n[k]] = $6; q[k, n[k]] = $7;
        if ($8 > m[k]) m[k] = $8; b[k] = $9; p[k, n[k]] = $10 }
    function med(a, k, cnt,    i, j, t, v) { for (i = 1; i <= cnt; i++) v[i] = a[k, i];
        for (i = 1; i <= cnt; i++) for (j = i + 1; j <= cnt; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        return v[int((cnt + 1) / 2)] }
    END { for (k in n) printf "%s\twall %.1f\tcpu %.1f\tcpu/wall %.2f\tbefore media %s\trss %d\tbytes %.0f\truns %d\n",
        k, med(w, k, n[k]), med(c, k, n[k]), med(q, k, n[k]), med(p, k, n[k]), m[k], b[k], n[k] }' "$results" | sort -n
