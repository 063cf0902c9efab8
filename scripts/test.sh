#!/usr/bin/env bash
# Runs the whole imgc test suite on a fresh Debian 12 machine (as root): installs the npm
# dependencies and the host tools the tests use, builds, then runs every test — real builds
# and qemu boots included. Extra arguments go to vitest (e.g. a test path).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/npm-deps.sh
bash scripts/ensure-host-tools.sh

# The JSON report stays in out/ for a look at what failed or what is slow.
mkdir -p out
report=out/test-report.json
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?

# One closing line any CI can read: "N passed, N failed, N skipped".
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  const files = r.testResults.map((f) => ({ name: f.name.replace(process.cwd() + "/", ""), s: (f.endTime - f.startTime) / 1000 }));
  console.log("slowest test files (s):");
  for (const f of files.sort((a, b) => b.s - a.s).slice(0, 10)) console.log(`  ${f.s.toFixed(0).padStart(5)}  ${f.name}`);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' "$report" || true
exit "$status"
