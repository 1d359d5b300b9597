#!/usr/bin/env bash
# `npm test`: everything the test suites need, then every suite (unit, DB on PGlite and PostgreSQL 15, HTTP and
# sockets against the real server, browser with axe). Installs Chromium and PostgreSQL with apt-get when run as
# root; otherwise says exactly what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || [ -n "${PG_BIN:-}" ] || missing+=(postgresql)
command -v runuser >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installiere mit apt-get: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Für die Tests fehlen Debian-Pakete. Bitte als root installieren:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# A fresh clone has no packages yet (npm ci fails here: the registry lacks rollup's non-Linux optional packages).
if [ ! -d node_modules/.bin ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi

echo "› Typprüfung"
npx tsc --noEmit
echo "› CSS-Prüfung"
npx tsx scripts/check-css.ts
echo "› Produktions-Build"
node scripts/build.mjs >/dev/null
mkdir -p .cache && rm -f .cache/vitest.json
echo "› Tests"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest.json "$@" || status=$?
if [ -f .cache/vitest.json ]; then
  # The plain closing line CI reads, whatever the reporter printed above it.
  node -e 'const r = require("./.cache/vitest.json"); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)'
fi
exit $status
