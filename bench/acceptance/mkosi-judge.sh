#!/bin/bash
# mkosi's verdict (`mkosi summary`, exit 0) on every written tree of a translate-corpus.mjs run.
#   bench/acceptance/mkosi-judge.sh OUT/results.json                          # mkosi on PATH
#   MKOSI_SRC=/tmp/ref/mkosi bench/acceptance/mkosi-judge.sh OUT/results.json # upstream checkout
set -u
if [ -n "${MKOSI_SRC:-}" ]; then
  mkosi=(env "PYTHONPATH=$MKOSI_SRC" python3 -m mkosi summary)
else
  mkosi=(mkosi summary)
fi
ok=0
bad=0
while read -r dir; do
  if out=$(cd "$dir" && timeout 120 "${mkosi[@]}" 2>&1 >/dev/null); then
    ok=$((ok + 1))
  else
    bad=$((bad + 1))
    echo "  $dir: $(tail -1 <<<"$out")"
  fi
done < <(python3 -c "
import json, sys
for r in json.load(open(sys.argv[1])):
    if r['code'] == 0: print(r['out'])" "$1")
echo "mkosi summary accepted $ok of $((ok + bad)) written trees"
