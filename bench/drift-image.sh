#!/usr/bin/env bash
# Times `imgc drift` on the sample disk image (raw GPT, ext4 root read with debugfs): builds the
# sample's disk with the suite's cache dir (its own tree: the suite's IR adds a marker unit, so
# the first run bootstraps, 9 min here; later runs reuse it), then three drift runs of the
# untouched disk (each must report nothing), median printed, and three timings of debugfs's copy
# alone. Results in $WORK/results.tsv; see bench/results-drift.md.
#
#   sudo bench/drift-image.sh [cache-dir]      (default: the suite's /var/cache/imgc-test/imgc)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
WORK=${BENCH_WORK:-/var/tmp/imgc-bench-drift-image}
CACHE=${1:-/var/cache/imgc-test/imgc}
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root (image trees have root-owned files)" >&2; exit 2; }
(cd "$REPO" && npm run -s build >/dev/null) || { echo "bench: npm run build failed" >&2; exit 1; }
IMGC=(node "$REPO/bin/imgc.js")

rm -rf "$WORK"; mkdir -p "$WORK"
t0=$(date +%s)
"${IMGC[@]}" build "$REPO/samples/blueprint/debian-minimal.toml" --output disk -o "$WORK/out" \
  --cache-dir "$CACHE" >"$WORK/build.log" 2>&1 || { echo "bench: build failed, see $WORK/build.log" >&2; exit 1; }
echo "build: $(($(date +%s) - t0)) s"
DISK=$(ls "$WORK"/out/*.raw)
MANIFEST=${DISK%.raw}.manifest.json
paths=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$MANIFEST','utf8')).paths.length)")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_of() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); awk "BEGIN {print $t1 - $t0}"; }

drift_s=$(for r in 1 2 3; do time_of sh -c "${IMGC[*]} drift $MANIFEST $DISK; [ \$? -eq 0 ]"; done | median)
offset=$(sfdisk --json "$DISK" | node -e "
  const t = JSON.parse(require('fs').readFileSync(0, 'utf8')).partitiontable;
  const root = t.partitions.find((p) => p.type.toUpperCase() === '4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709');
  console.log(root.start * (t.sectorsize ?? 512));")
copy() { rm -rf "$WORK/copy"; mkdir "$WORK/copy"; debugfs -R "rdump / $WORK/copy" "$DISK?offset=$offset"; }
rdump_s=$(for r in 1 2 3; do time_of copy; done | median)
tree_mib=$(du -sm "$WORK/copy" | cut -f1)
rm -rf "$WORK/copy"
printf 'disk_mib\ttree_mib\tpaths\tdrift_s\tdebugfs_rdump_s\n%s\t%s\t%s\t%s\t%s\n' \
  "$(($(stat -c %s "$DISK") / 1048576))" "$tree_mib" "$paths" "$drift_s" "$rdump_s" | tee "$WORK/results.tsv"
