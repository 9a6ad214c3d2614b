#!/usr/bin/env bash
# A private PostgreSQL for the tests: unix socket only, fsync off, never the system cluster.
#
#   scripts/test-postgres.sh start    start it (or find it running) and print the DSN export
#   scripts/test-postgres.sh stop     stop it (the data stays for the next start)
#   scripts/test-postgres.sh status   print the DSN export if it runs, exit 1 if not
#   scripts/test-postgres.sh destroy  stop it and delete its directory
#
# Usage: eval "$(scripts/test-postgres.sh start)"
# The directory is $LEASEHOLD_TEST_PG_DIR (default /tmp/leasehold-test-pg); the socket lives
# in it, so keep the path short (unix socket paths are limited to 107 bytes).
set -euo pipefail

dir=${LEASEHOLD_TEST_PG_DIR:-/tmp/leasehold-test-pg}
port=${LEASEHOLD_TEST_PG_PORT:-54329} # only names the socket file: there is no TCP listener
data=$dir/data
log=$dir/postgres.log

find_bin() {
  if [[ -n ${LEASEHOLD_PG_BIN:-} ]]; then
    echo "$LEASEHOLD_PG_BIN"
    return
  fi
  local candidate
  candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n $candidate && -x $candidate/initdb ]]; then
    echo "$candidate"
    return
  fi
  if command -v pg_config >/dev/null; then
    echo "$(pg_config --bindir)"
    return
  fi
  echo "test-postgres: no PostgreSQL server binaries found (install postgresql)" >&2
  exit 1
}

bin=$(find_bin)

# PostgreSQL refuses to run as root: run its tools as `postgres` then.
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

print_env() {
  echo "export LEASEHOLD_TEST_DSN='host=$dir port=$port user=postgres dbname=postgres'"
}

# Accepting connections on our socket, not just a pid file (a killed server leaves one).
is_running() {
  [[ -f $data/postmaster.pid ]] && "$bin/pg_isready" -q -h "$dir" -p "$port" -U postgres
}

start() {
  if is_running; then
    print_env
    return
  fi
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$dir"
  fi
  if [[ ! -f $data/PG_VERSION ]]; then
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
  fi
  # A postmaster.pid left by a killed server: pg_ctl start copes with it when the pid is gone.
  as_pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 30 start -o \
    "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c fsync=off \
     -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
     -c shared_buffers=64MB" >/dev/null || {
    tail -n 20 "$log" >&2
    exit 1
  }
  print_env
}

stop() {
  if is_running; then
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status)
    if is_running; then
      print_env
    else
      echo "test-postgres: not running ($dir)" >&2
      exit 1
    fi
    ;;
  destroy)
    stop
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop|status|destroy" >&2
    exit 2
    ;;
esac
