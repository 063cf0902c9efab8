#!/usr/bin/env bash
# Incremental rebuilds after one overlay file changed, warm caches on both sides:
# imgc (tree cache) against mkosi 14 with Incremental=yes (its cached tree), same package
# set as bench/directory-tar.sh, `directory` and `tar` outputs, alternating runs.
#
#   sudo bench/incremental.sh [runs]
set -euo pipefail
RUNS=${1:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
WORK=${BENCH_WORK:-/var/tmp/imgc-bench-incremental}
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root" >&2; exit 2; }
command -v mkosi >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mkosi >/dev/null
bash "$REPO/scripts/ensure-host-tools.sh"
MIRROR=$(awk '/^URIs:/ {u=$2} /^Suites:/ && $0 !~ /-security/ {print u; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$MIRROR" ] || MIRROR=$(awk '$1=="deb" && $0 !~ /-security/ {for(i=2;i<=NF;i++) if ($i ~ /:\/\//) {print $i; exit}}' /etc/apt/sources.list)

# The built CLI (bundled, IR checker precompiled), as users run it.
(cd "$REPO" && npm run -s build >/dev/null) || { echo "bench: npm run build failed" >&2; exit 1; }
IMGC=(node "$REPO/bin/imgc.js")

rm -rf "$WORK"; mkdir -p "$WORK"/{mkosi-cache,imgc-cache,out}
cp -r "$HERE/imgc/." "$WORK/def/"
RESULTS="$WORK/results.tsv"; : > "$RESULTS"

for fmt in directory tar; do
  d="$WORK/mkosi-$fmt"; mkdir -p "$d/mkosi.extra/etc"
  cp "$WORK/def/overlay/etc/imgc-bench" "$d/mkosi.extra/etc/imgc-bench"
  sed -e "s|@MIRROR@|$MIRROR|" -e "s|@CACHE@|$WORK/mkosi-cache|" -e "s|@FORMAT@|$fmt|" \
      -e "s|@OUTPUT@|$WORK/out/mkosi-$fmt|" "$HERE/mkosi14/mkosi.conf.in" > "$d/mkosi.conf"
  sed -i 's/^CompressOutput=no$/CompressOutput=no\nIncremental=yes/' "$d/mkosi.conf"
done

now() { date +%s.%N; }
mkosi_build() { (cd "$WORK/mkosi-$1" && mkosi -f build >"$WORK/mkosi-$1/log" 2>&1) || { tail -20 "$WORK/mkosi-$1/log" >&2; exit 1; }; }
imgc_build() {
  "${IMGC[@]}" build "$WORK/def/mkosi-set.ir.json" --output "$1" -o "$WORK/out/imgc-$1" --cache-dir "$WORK/imgc-cache" \
    >"$WORK/imgc-$1.log" 2>&1 || { tail -20 "$WORK/imgc-$1.log" >&2; exit 1; }
}
timed() {
  local label=$1; shift; local t0; t0=$(now); "$@"
  local t; t=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
  printf '%s\t%s\n' "$label" "$t" >> "$RESULTS"; printf '  %-28s %7s s\n' "$label" "$t"
}

echo "filling both caches (not counted)"
for fmt in directory tar; do mkosi_build "$fmt"; imgc_build "$fmt"; done
for i in $(seq 1 "$RUNS"); do
  echo "round $i/$RUNS"
  for fmt in directory tar; do
    echo "change $i $fmt" > "$WORK/mkosi-$fmt/mkosi.extra/etc/imgc-bench"
    timed "mkosi-incremental-$fmt" mkosi_build "$fmt"
    echo "change $i $fmt" > "$WORK/def/overlay/etc/imgc-bench"
    timed "imgc-incremental-$fmt" imgc_build "$fmt"
  done
done

median() { grep -P "^$1\t" "$RESULTS" | cut -f2 | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo
echo "medians of $RUNS runs (seconds), $(nproc) CPUs, $(date -u +%FT%TZ)"
for fmt in directory tar; do
  m=$(median "mkosi-incremental-$fmt"); g=$(median "imgc-incremental-$fmt")
  printf '  incremental %-10s mkosi 14 %7.2f   imgc %7.2f   imgc/mkosi = %.2f   (imgc goal <= 5 s)\n' "$fmt" "$m" "$g" "$(awk -v a="$g" -v b="$m" 'BEGIN{print a/b}')"
done
echo "raw timings: $RESULTS"
