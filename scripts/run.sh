#!/usr/bin/env bash
# Builds Leasehold (release) and serves it with a private PostgreSQL in ./var and a demo tenant.
# Extra arguments go to `leasehold serve` (e.g. --listen 127.0.0.1:9000).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/cluster/leasehold serve --demo "$@"
