#!/bin/bash
# mkosi's verdict (`mkosi summary`, exit 0) on every written tree of a translate-corpus.mjs run.
#   bench/acceptance/mkosi-judge.sh OUT/results.json            # the mkosi on PATH (Debian: 14)
#   MKOSI_SRC=/tmp/ref/mkosi bench/acceptance/mkosi-judge.sh OUT/results.json   # upstream mkosi
set -u
results=$1
run_mkosi() {
  if [ -n "${MKOSI_SRC:-}" ]; then PYTHONPATH=$MKOSI_SRC python3 -m mkosi summary; else mkosi summary; fi
}
ok=0; bad=0
while read -r dir; do
  if out=$(cd "$dir" && timeout 120 bash -c "$(declare -f run_mkosi); MKOSI_SRC='${MKOSI_SRC:-}' run_mkosi" 2>&1 >/dev/null); then
    ok=$((ok + 1))
  else
    bad=$((bad + 1))
    echo "  $dir: $(tail -1 <<<"$out")"
  fi
done < <(python3 -c "
import json, sys
for r in json.load(open(sys.argv[1])):
    if r['code'] == 0: print(r['out'])" "$results")
echo "mkosi summary accepted $ok of $((ok + bad)) written trees"
