#!/usr/bin/env bash
# Installs imgc's npm dependencies at the versions package-lock.json pins.
# `npm ci` first; some npm 11 releases write lock files without other platforms' optional
# packages and then refuse them in `npm ci`, so fall back to `npm install --no-save`,
# which installs the same locked versions without rewriting the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! npm ci --no-audit --no-fund --loglevel=error 2>"$log"; then
  if grep -q 'can only install packages when your package.json and package-lock.json' "$log"; then
    echo "imgc: npm ci refused this npm's own lock file; installing the locked versions with npm install" >&2
    npm install --no-save --no-audit --no-fund --loglevel=error
  else
    cat "$log" >&2
    exit 1
  fi
fi
