#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/host-packages.txt that are not installed yet,
# then proves each one works by running its smoke call (the command after "|" on its line), so a
# missing install step fails here, loudly, and not deep inside a test. Idempotent; needs root
# (or sudo) when it installs. IMGC_SKIP_SMOKE=1 skips the smoke calls (the test helpers set it,
# since scripts/test.sh has already run them once).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

declare -A smoke=()
wanted=()
while IFS= read -r line; do
  line=${line%%#*}
  pkg=$(awk -F'|' '{ gsub(/[[:space:]]/, "", $1); print $1 }' <<<"$line")
  [ -n "$pkg" ] || continue
  wanted+=("$pkg")
  [[ $line == *"|"* ]] && smoke[$pkg]=$(sed -e 's/^[^|]*|[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$line")
done <"$here/host-packages.txt"

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "imgc: installing host packages: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "${IMGC_SKIP_SMOKE:-0}" = 1 ] && exit 0

failed=0
for pkg in "${wanted[@]}"; do
  cmd=${smoke[$pkg]:-}
  if [ -z "$cmd" ]; then
    echo "imgc: host package $pkg has no smoke call in scripts/host-packages.txt" >&2
    failed=1
    continue
  fi
  if ! out=$(bash -c "$cmd" 2>&1 </dev/null); then
    printf 'imgc: host tool check failed for %s: %s\n%s\n' "$pkg" "$cmd" "$(tail -n 5 <<<"$out")" >&2
    failed=1
  fi
done
exit "$failed"
