#!/usr/bin/env bash
# The race against KIWI (issue 22): the Debian sample built by Debian's KIWI 9.24 from imgc's
# KIWI translation (type tbz, a .tar.xz) and by `imgc build` (a tar compressed with xz), cold
# and warm caches, alternating; writes bench/results-kiwi-race.md. See bench/kiwi-race.ts.
#
#   sudo bench/kiwi-race.sh [--runs 3] [--work /var/tmp/kiwirace] [--out FILE] [--xz-level N]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "kiwi-race: run as root (KIWI and imgc build images)" >&2; exit 2; }
bash "$REPO/scripts/ensure-host-tools.sh"
# the built CLI (bundled, IR checker precompiled), as users run it
(cd "$REPO" && npm run -s build >/dev/null) || { echo "kiwi-race: npm run build failed" >&2; exit 1; }
exec "$REPO/node_modules/.bin/tsx" "$HERE/kiwi-race.ts" "$@"
