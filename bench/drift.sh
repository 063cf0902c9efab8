#!/usr/bin/env bash
# Times `imgc manifest` and `imgc drift` on a tree of about 1 GB: an image tree (a tree-cache
# tar of the sample, or any root.tar given) plus generated files up to the size. Three runs
# each, median printed; results in $WORK/results.tsv. See bench/results-drift.md.
#
#   sudo bench/drift.sh [root.tar] [size-MiB]     (default: newest sample tree in the test cache, 1024)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
WORK=${BENCH_WORK:-/var/tmp/imgc-bench-drift}
TAR=${1:-$(ls -t /var/cache/imgc-test/imgc/trees/*/root.tar 2>/dev/null | head -1)}
SIZE_MIB=${2:-1024}
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root (image trees have root-owned files)" >&2; exit 2; }
[ -r "$TAR" ] || { echo "bench: no tree tar (build the sample first, or pass one)" >&2; exit 2; }
(cd "$REPO" && npm run -s build >/dev/null) || { echo "bench: npm run build failed" >&2; exit 1; }
IMGC=(node "$REPO/bin/imgc.js")

rm -rf "$WORK"; mkdir -p "$WORK/tree"
tar --extract --file="$TAR" --directory="$WORK/tree" --xattrs --xattrs-include='*' --numeric-owner
have=$(du -sm "$WORK/tree" | cut -f1)
mkdir -p "$WORK/tree/srv/bench"
i=0
while [ "$have" -lt "$SIZE_MIB" ]; do   # 4 MiB files, incompressible
  head -c 4194304 /dev/urandom > "$WORK/tree/srv/bench/f$i"; i=$((i + 1)); have=$((have + 4))
done
paths=$(find "$WORK/tree" | wc -l)
echo "tree: $(du -sm "$WORK/tree" | cut -f1) MiB, $paths paths"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_of() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); awk "BEGIN {print $t1 - $t0}"; }

# warm page cache (the machine is shared: no drop_caches); the first run reads the tree cold
manifest_s=$(for r in 1 2 3; do time_of "${IMGC[@]}" manifest "$WORK/tree" -o "$WORK/golden.json"; done | median)
echo "changed" >> "$WORK/tree/etc/issue"
drift_s=$(for r in 1 2 3; do time_of sh -c "${IMGC[*]} drift $WORK/golden.json $WORK/tree || [ \$? -lt 16 ]"; done | median)
printf 'tree_mib\tpaths\tmanifest_s\tdrift_s\n%s\t%s\t%s\t%s\n' "$(du -sm "$WORK/tree" | cut -f1)" "$paths" "$manifest_s" "$drift_s" | tee "$WORK/results.tsv"
