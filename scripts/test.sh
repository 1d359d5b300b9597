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
# The Nu Html Checker (vnu-jar) runs on Java.
command -v java >/dev/null || missing+=(default-jre-headless)
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

mkdir -p .cache
# Lint (ADR 035) runs beside the type check and the build, one core each: the layout's import rules fail the run here.
# Caches in .cache/ keep a re-run to the changed files.
echo "› Lint (ESLint, stylelint, Prettier) nebenher"
(
  npx eslint --cache --cache-location .cache/eslint/ --max-warnings 0 . &&
    npx stylelint --cache --cache-location .cache/stylelint/ --max-warnings 0 "app/**/*.css" &&
    npx prettier --check --cache --cache-location .cache/prettier.json --log-level warn .
) >.cache/lint.log 2>&1 &
lint_pid=$!
trap 'kill "$lint_pid" 2>/dev/null || true' EXIT
echo "› Typprüfung"
npx tsc --noEmit
echo "› CSS-Prüfung"
npx tsx scripts/check-css.ts
echo "› Produktions-Build"
node scripts/build.mjs >/dev/null
if ! wait "$lint_pid"; then
  cat .cache/lint.log
  echo "Lint fehlgeschlagen (npm run lint; npm run format richtet die Formatierung)." >&2
  exit 1
fi
rm -f .cache/vitest.json && rm -rf .cache/html-pages .cache/test-logs
echo "› Tests"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest.json "$@" || status=$?
# The pages the browser tests visited (kept by tests/setup/pages.ts), as served and hydrated, in one Java process.
# A run limited to some files may have visited none; a full run that kept no page fails the check.
if [ $# -eq 0 ] || [ -d .cache/html-pages ]; then
  echo "› HTML-Prüfung"
  npx tsx scripts/check-html.ts || status=1
fi
echo "› Logs ohne personenbezogene Daten"
npx tsx tests/setup/scan-logs.ts || status=1
if [ -f .cache/vitest.json ]; then
  # The plain closing line CI reads, whatever the reporter printed above it.
  node -e 'const r = require("./.cache/vitest.json"); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)'
fi
exit $status
