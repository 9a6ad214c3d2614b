#!/usr/bin/env bash
# Builds Leasehold with ASan/UBSan and runs every test (unit, PostgreSQL integration, black-box
# HTTP) against a private PostgreSQL that this script starts and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev

eval "$(scripts/test-postgres.sh start)"
trap 'scripts/test-postgres.sh stop >/dev/null' EXIT

# CAF keeps a few process-lifetime singletons; leak reports at exit are not ours to fix.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
ctest --preset dev -j2 "$@"
