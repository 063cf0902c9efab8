#!/usr/bin/env bash
# Installs imgc's npm dependencies at the versions package-lock.json pins, with plain `npm ci`
# as every Node user runs it. The lock file lists every platform's optional packages (biome,
# rollup); after changing dependencies, refresh it with `npm install --package-lock-only`
# so `npm ci` keeps working on other platforms and npm versions.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
