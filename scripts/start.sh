#!/bin/sh
# `npm start`: builds if a build is missing or older than the sources, then *replaces itself* with the server
# (exec), so that the service manager's signals reach node directly and no wrapper process stays in memory.
# A service manager can run the last line itself (docs/deploy/companion-network.service).
set -e
cd "$(dirname "$0")/.."
node scripts/build.mjs --if-stale
# A 32 MB young generation: the large strings of long pages cause fewer scavenges (ADR 015).
exec node --max-semi-space-size=32 build/node/server.js
