#!/usr/bin/env bash
# Runs the whole imgc test suite on a fresh Debian 12 machine (as root): installs the npm
# dependencies and the host tools the tests use, builds, then runs every test — real builds
# and qemu boots included. Extra arguments go to vitest (e.g. a test path).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/npm-deps.sh
bash scripts/ensure-host-tools.sh

report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?

# One closing line any CI can read: "N passed, N failed, N skipped".
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' "$report" || true
exit "$status"
