#!/usr/bin/env bash
# Races imgc against Debian's mkosi 14 for `directory` and `tar` outputs of the same package
# set, warm package caches, alternating runs; then times imgc's incremental rebuild after one
# overlay file changes. Prints medians and ratios and writes them to $WORK/results.tsv.
#
#   sudo bench/directory-tar.sh [runs]        (default 3 runs of each; needs root, mkosi)
#
# imgc runs with --no-tree-cache in the race (mkosi 14 without Incremental= has no tree
# cache either); the incremental part uses the tree cache, which is its point.
set -euo pipefail
RUNS=${1:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
WORK=${BENCH_WORK:-/var/tmp/imgc-bench}
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root" >&2; exit 2; }
command -v mkosi >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mkosi >/dev/null
bash "$REPO/scripts/ensure-host-tools.sh"

# The mirror comes from the host's apt sources, as imgc itself reads it.
MIRROR=$(awk '/^URIs:/ {u=$2} /^Suites:/ && $0 !~ /-security/ {print u; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$MIRROR" ] || MIRROR=$(awk '$1=="deb" && $0 !~ /-security/ {for(i=2;i<=NF;i++) if ($i ~ /:\/\//) {print $i; exit}}' /etc/apt/sources.list)

# The built CLI (bundled, IR checker precompiled), as users run it.
(cd "$REPO" && npm run -s build >/dev/null) || { echo "bench: npm run build failed" >&2; exit 1; }
IMGC=(node "$REPO/bin/imgc.js")

rm -rf "$WORK"; mkdir -p "$WORK"/{mkosi-cache,imgc-cache,out}
cp -r "$HERE/imgc/." "$WORK/def/"
RESULTS="$WORK/results.tsv"
: > "$RESULTS"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

mkosi_build() { # format
  local fmt=$1 dir="$WORK/mkosi-$1"
  rm -rf "$dir"; mkdir -p "$dir"
  sed -e "s|@MIRROR@|$MIRROR|" -e "s|@CACHE@|$WORK/mkosi-cache|" -e "s|@FORMAT@|$fmt|" \
      -e "s|@OUTPUT@|$WORK/out/mkosi-$fmt|" "$HERE/mkosi14/mkosi.conf.in" > "$dir/mkosi.conf"
  rm -rf "$WORK/out/mkosi-$fmt"*
  (cd "$dir" && mkosi -f build >"$dir/log" 2>&1) || { echo "mkosi $fmt failed, see $dir/log" >&2; tail -20 "$dir/log" >&2; exit 1; }
}

imgc_build() { # output [extra flags]
  local out=$1; shift
  "${IMGC[@]}" build "$WORK/def/mkosi-set.ir.json" --output "$out" -o "$WORK/out/imgc-$out" \
    --cache-dir "$WORK/imgc-cache" "$@" >"$WORK/imgc-$out.log" 2>&1 || { echo "imgc $out failed" >&2; tail -20 "$WORK/imgc-$out.log" >&2; exit 1; }
}

timed() { # label command...
  local label=$1; shift
  local t0; t0=$(now)
  "$@"
  local t; t=$(elapsed "$t0" "$(now)")
  printf '%s\t%s\n' "$label" "$t" >> "$RESULTS"
  printf '  %-28s %7s s\n' "$label" "$t"
}

echo "warming the package caches (not counted)"
mkosi_build directory; imgc_build directory --no-tree-cache

for i in $(seq 1 "$RUNS"); do
  echo "round $i/$RUNS"
  timed mkosi-directory mkosi_build directory
  timed imgc-directory imgc_build directory --no-tree-cache
  timed mkosi-tar mkosi_build tar
  timed imgc-tar imgc_build tar --no-tree-cache
done

echo "incremental: one overlay file changes between builds (tree cache warm)"
imgc_build directory; imgc_build tar
for i in $(seq 1 "$RUNS"); do
  echo "change $i" > "$WORK/def/overlay/etc/imgc-bench"
  timed imgc-incremental-directory imgc_build directory
  echo "change $i tar" > "$WORK/def/overlay/etc/imgc-bench"
  timed imgc-incremental-tar imgc_build tar
done

median() { grep -P "^$1\t" "$RESULTS" | cut -f2 | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo
echo "medians of $RUNS runs (seconds), $(nproc) CPUs, $(date -u +%FT%TZ)"
for fmt in directory tar; do
  m=$(median "mkosi-$fmt"); g=$(median "imgc-$fmt")
  printf '  %-10s mkosi 14 %7.2f   imgc %7.2f   imgc/mkosi = %.2f  (goal <= 0.5)\n' "$fmt" "$m" "$g" "$(awk -v a="$g" -v b="$m" 'BEGIN{print a/b}')"
done
for fmt in directory tar; do
  printf '  incremental %-10s imgc %7.2f  (goal <= 5 s)\n' "$fmt" "$(median "imgc-incremental-$fmt")"
done
echo "raw timings: $RESULTS"
