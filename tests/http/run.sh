#!/bin/sh
# Runs the black-box HTTP tests against the server binary in $LEASEHOLD_BIN.
# Exits 77 (skipped) when no test PostgreSQL is configured ($LEASEHOLD_TEST_DSN).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${LEASEHOLD_TEST_DSN:-}" ]; then
  echo "http.blackbox: LEASEHOLD_TEST_DSN is not set; skipping" >&2
  exit 77
fi
if [ -z "${LEASEHOLD_BIN:-}" ] || [ ! -x "$LEASEHOLD_BIN" ]; then
  echo "http.blackbox: LEASEHOLD_BIN must name the leasehold binary" >&2
  exit 1
fi
if [ ! -d "$here/node_modules/jose" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
cd "$here"
# Test files run one after another: each starts its own server and the machine is small.
exec node --test --test-concurrency=1 "$@" ./*.test.js
