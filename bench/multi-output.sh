#!/usr/bin/env bash
# Several outputs of one tree (issue 22): times `imgc build <sample> --output T` for each of
# disk, iso, pxe and uki alone, then the four in one build, alternating, package and tree
# caches warm (one warm-up build of each before timing). Prints medians, the ratio of the
# four together to the slowest single output (goal <= 1.3), the load average before every run,
# and where the combined build's time goes (each output step's "done in" from its log).
# Usage: bench/multi-output.sh [runs, default 3] [-- extra imgc build flags, e.g. --jobs 1]
# Env: IMGC_BENCH_DIR (scratch, default /var/tmp/imgc-bench-multi), IMGC_BENCH_CACHE (imgc cache
#      dir, default $IMGC_BENCH_DIR/cache), IMGC_BENCH_SEED (a package cache folder copied into an
#      empty cache first, to spare the downloads; optional), IMGC_SAMPLE (default the blueprint
#      sample), IMGC_BENCH_OUTPUTS (default "disk iso pxe uki"), IMGC_BENCH_SERIAL=1 (each round also
#      builds the outputs together with --jobs 1: the same tree, assembled one after another),
#      IMGC_BENCH_WARM=0 (skip the warm-up: the cache given is warm already).
# Needs root and the host tools of scripts/host-packages.txt.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=3
if [ $# -gt 0 ] && [ "$1" != -- ]; then runs=$1; shift; fi
[ "${1:-}" = -- ] && shift
extra=("$@")
work=${IMGC_BENCH_DIR:-/var/tmp/imgc-bench-multi}
cache=${IMGC_BENCH_CACHE:-$work/cache}
sample=${IMGC_SAMPLE:-$repo/samples/blueprint/debian-minimal.toml}
read -r -a singles <<<"${IMGC_BENCH_OUTPUTS:-disk iso pxe uki}"
mkdir -p "$work/logs"
bash "$repo/scripts/ensure-host-tools.sh" >/dev/null
(cd "$repo" && npm run -s build >/dev/null 2>&1) || echo "note: the build reported errors (dist/ was still emitted)" >&2
if [ -n "${IMGC_BENCH_SEED:-}" ] && [ ! -d "$cache/packages" ]; then
  mkdir -p "$cache" && cp -a "$IMGC_BENCH_SEED" "$cache/packages"
fi

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
load() { cut -d' ' -f1 /proc/loadavg; }
flags_of() { local f=(); for o in "$@"; do f+=(--output "$o"); done; echo "${f[@]}"; }

# one build into a fresh folder; prints its wall time; the log is kept
build() { # label, outputs...
  local label=$1; shift
  local out="$work/out-$label" t
  rm -rf "$out"
  t=$(now)
  # shellcheck disable=SC2046
  if ! node "$repo/bin/imgc.js" build "$sample" $(flags_of "$@") -o "$out" --cache-dir "$cache" \
    -O pxe-url=http://pxe.invalid/imgc "${extra[@]}" >"$work/logs/$label.log" 2>&1; then
    echo "build $label failed; log: $work/logs/$label.log" >&2
    tail -20 "$work/logs/$label.log" >&2
    exit 1
  fi
  elapsed "$t"
  rm -rf "$out"
}

if [ "${IMGC_BENCH_WARM:-1}" = 1 ]; then
  echo "== warm-up: every output set once (fills the package and tree caches)"
  for o in "${singles[@]}"; do build "warm-$o" "$o" >/dev/null; done
  build warm-all "${singles[@]}" >/dev/null
fi

kinds=("${singles[@]}" all)
[ "${IMGC_BENCH_SERIAL:-}" = 1 ] && kinds+=(serial)
declare -A times loads
for n in $(seq 1 "$runs"); do
  for o in "${kinds[@]}"; do
    l=$(load)
    loads[$o]+="$l "
    case $o in
      all) t=$(build "all-$n" "${singles[@]}") ;;
      serial) t=$(extra+=(--jobs 1) && build "serial-$n" "${singles[@]}") ;;
      *) t=$(build "$o-$n" "$o") ;;
    esac
    times[$o]+="$t "
    printf '  run %s %-6s %6.2f s (load before %s)\n' "$n" "$o" "$t" "$l"
  done
done

slowest=''; slowest_median=0
for o in "${singles[@]}"; do
  # shellcheck disable=SC2086
  m=$(median ${times[$o]})
  if (($(echo "$m > $slowest_median" | bc))); then slowest=$o; slowest_median=$m; fi
done
# shellcheck disable=SC2086
all_median=$(median ${times[all]})
ratio=$(echo "scale=3; $all_median / $slowest_median" | bc)
sum=0
for o in "${singles[@]}"; do
  # shellcheck disable=SC2086
  sum=$(echo "$sum + $(median ${times[$o]})" | bc)
done

echo
echo "== results: $runs runs each, alternating; $(nproc) CPUs; flags: ${extra[*]:-(none)}; commit $(git -C "$repo" rev-parse --short HEAD)"
printf '| build | runs (s) | median (s) | load average before each run |\n|---|---|---|---|\n'
for o in "${kinds[@]}"; do
  # shellcheck disable=SC2086
  printf '| %s | %s | %.2f | %s |\n' "$o" "$(echo ${times[$o]} | sed 's/ /, /g')" "$(median ${times[$o]})" "$(echo ${loads[$o]} | sed 's/ /, /g')"
done
printf '\nslowest single output: %s (%.2f s); the %s together: %.2f s = **%s x** the slowest (goal <= 1.3); the singles one after another would be %.2f s\n' \
  "$slowest" "$slowest_median" "${#singles[@]}" "$all_median" "$ratio" "$sum"
if [ -n "${times[serial]:-}" ]; then
  # shellcheck disable=SC2086
  printf 'the same together with --jobs 1: %.2f s = %s x the slowest\n' "$(median ${times[serial]})" \
    "$(echo "scale=3; $(median ${times[serial]}) / $slowest_median" | bc)"
fi
echo
echo "where the last combined build's time went (its step lines):"
grep -E 'done in|: cached$' "$work/logs/all-$runs.log" | sed -E 's/^[^ ]+ /  /' | grep -v ': cached' || true
