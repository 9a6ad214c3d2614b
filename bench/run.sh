#!/usr/bin/env bash
# Leasehold benchmark: one command that builds the release binary, starts its own PostgreSQL
# (fsync and synchronous_commit on), the server and an nginx baseline on loopback, loads the
# tenants, runs the scenarios with wrk and writes bench/RESULTS.md.
#
#   bench/run.sh                         the full run (15 s per wrk scenario, about 5 minutes)
#   LH_BENCH_DURATION=5s bench/run.sh    a quicker run
#
# Environment (defaults in brackets):
#   LH_BENCH_DURATION [15s]  wrk -d for heartbeat, pairs and nginx
#   LH_BENCH_THREADS [2] LH_BENCH_CONNECTIONS [64]   wrk -t and -c
#   LH_BENCH_TENANTS [2000] LH_BENCH_SEATS [10]       tenants and seats per license
#   LH_BENCH_MEM_TENANTS [1000] LH_BENCH_MEM_SESSIONS [100000]   the memory scenario
#   LH_BENCH_TTL_TENANTS [20]  sample licenses (session_ttl 2 s) for the expiry check
#   LH_BENCH_SCENARIOS [pairs storm nginx edge heartbeat nginx_again memory]   what to run, in order
#   LH_BENCH_SERVER          server binary [build/release/cluster/leasehold]
#   LH_BENCH_SKIP_BUILD=1    do not run the release build
#   LH_BENCH_SERVER_ARGS     extra arguments for `leasehold serve`
#   LH_BENCH_LOG_LEVEL [warning]   the server's --log-level
#   LH_BENCH_PORT [18080] LH_BENCH_NGINX_PORT [18081]   loopback ports (next free one is used)
#   LH_BENCH_OUT [/tmp/leasehold-bench]   raw logs of the last run (kept after exit)
#   LH_BENCH_RESULTS [bench/RESULTS.md]   where the summary is written
#   LH_BENCH_KEEP=1          keep the temporary PostgreSQL directory
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
command_line="bench/run.sh${*:+ $*}"
for v in DURATION THREADS CONNECTIONS TENANTS SEATS MEM_TENANTS MEM_SESSIONS TTL_TENANTS SCENARIOS; do
  name=LH_BENCH_$v
  if [[ -n ${!name:-} ]]; then command_line="$name='${!name}' $command_line"; fi
done

duration=${LH_BENCH_DURATION:-15s}
threads=${LH_BENCH_THREADS:-2}
connections=${LH_BENCH_CONNECTIONS:-64}
tenants=${LH_BENCH_TENANTS:-2000}
seats=${LH_BENCH_SEATS:-10}
mem_tenants=${LH_BENCH_MEM_TENANTS:-1000}
mem_sessions=${LH_BENCH_MEM_SESSIONS:-100000}
ttl_tenants=${LH_BENCH_TTL_TENANTS:-20}
scenarios=${LH_BENCH_SCENARIOS:-pairs storm nginx edge heartbeat nginx_again memory}
server_bin=${LH_BENCH_SERVER:-$repo/build/release/cluster/leasehold}
out=${LH_BENCH_OUT:-/tmp/leasehold-bench}
results_md=${LH_BENCH_RESULTS:-$bench_dir/RESULTS.md}

if ((mem_tenants + ttl_tenants > tenants)); then
  echo "bench: LH_BENCH_MEM_TENANTS + LH_BENCH_TTL_TENANTS must not exceed LH_BENCH_TENANTS" >&2
  exit 2
fi

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- tools --------------------------------------------------------------------------------------

pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n $d && -x $d/initdb ]]; then echo "$d"; fi
}

ensure_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  [[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null || missing+=(nginx-light)
  [[ -n $(pg_bindir) ]] || missing+=(postgresql)
  command -v node >/dev/null || missing+=(nodejs)
  command -v curl >/dev/null || missing+=(curl)
  command -v cmake >/dev/null || missing+=(cmake)
  command -v ninja >/dev/null || missing+=(ninja-build)
  if ((${#missing[@]} == 0)); then return; fi
  log "installing ${missing[*]}"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
  # Debian's postgresql and nginx packages start system services; this run uses its own.
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p=$1
  while ! port_free "$p"; do p=$((p + 1)); done
  echo "$p"
}

# --- processes and cleanup ----------------------------------------------------------------------

declare -A res # "scenario.key" -> value
tmp=""
server_pid=""
nginx_pid=""
wrk_pid=""
pg_data=""

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  local rc=$?
  set +e
  if [[ -n $wrk_pid ]] && kill -0 "$wrk_pid" 2>/dev/null; then kill "$wrk_pid"; fi
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$server_pid" 2>/dev/null; then
      log "the server did not end within 10 s of SIGTERM: killing it"
      kill -KILL "$server_pid"
    fi
  fi
  if [[ -n $nginx_pid ]] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid"
    for _ in $(seq 25); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$nginx_pid" 2>/dev/null && kill -KILL "$nginx_pid"
  fi
  if [[ -n $pg_data && -f $pg_data/postmaster.pid ]]; then
    as_pg "$(pg_bindir)/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1
  fi
  if [[ -n $tmp && -z ${LH_BENCH_KEEP:-} ]]; then rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_postgres() {
  local bin
  bin=$(pg_bindir)
  mkdir -p "$tmp/pg"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$tmp/pg"; fi
  pg_data=$tmp/pg/data
  as_pg "$bin/initdb" -D "$pg_data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$out/initdb.log" 2>&1 || { cat "$out/initdb.log" >&2; exit 1; }
  # Durable like production: fsync and synchronous_commit on (the defaults, said out loud).
  as_pg "$bin/pg_ctl" -D "$pg_data" -l "$tmp/pg/postgres.log" -w -t 60 start -o \
    "-c listen_addresses='' -c unix_socket_directories='$tmp/pg' -p 5432 -c fsync=on \
     -c synchronous_commit=on -c full_page_writes=on -c max_connections=200 \
     -c shared_buffers=256MB" >/dev/null || { tail -n 20 "$tmp/pg/postgres.log" >&2; exit 1; }
  as_pg "$bin/createdb" -h "$tmp/pg" -p 5432 -U postgres leasehold
  dsn="host=$tmp/pg port=5432 user=postgres dbname=leasehold"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on $tmp/pg (fsync=on, synchronous_commit=on)"
}

start_nginx() {
  nginx_port=$(free_port "${LH_BENCH_NGINX_PORT:-18081}")
  mkdir -p "$tmp/nginx"
  # About 60 bytes of JSON, shaped like a heartbeat reply.
  local reply='{"status":"ok","expires_at":"2026-11-21T10:06:00Z","ttl":60}'
  cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      default_type application/json;
      return 200 '$reply';
    }
  }
}
EOF
  res[nginx.reply_bytes]=${#reply}
  nginx -e "$tmp/nginx/error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" &
  nginx_pid=$!
  for _ in $(seq 50); do
    curl -fsS "http://127.0.0.1:$nginx_port/" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$nginx_port/" >/dev/null || { log "nginx did not start"; exit 1; }
  log "nginx $(nginx -v 2>&1 | sed 's/.*\///') on 127.0.0.1:$nginx_port (${#reply}-byte reply)"
}

start_server() {
  server_port=$(free_port "${LH_BENCH_PORT:-18080}")
  operator_key=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  local huge=100000000 # the largest value the flags take
  # Rate limits set out of reach: they would otherwise decide the figures. Logging at warning:
  # a line per request would measure the logger.
  # shellcheck disable=SC2086
  "$server_bin" serve --database "$dsn" --listen "127.0.0.1:$server_port" \
    --operator-key "$operator_key" --rate-limit-user-per-min "$huge" \
    --rate-limit-register-per-ip-per-min "$huge" --log-level "${LH_BENCH_LOG_LEVEL:-warning}" \
    ${LH_BENCH_SERVER_ARGS:-} \
    >"$out/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      log "the server exited at start:"; tail -n 30 "$out/server.log" >&2; exit 1
    fi
    curl -fsS "http://127.0.0.1:$server_port/ready" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "http://127.0.0.1:$server_port/ready" >/dev/null || {
    log "the server is not ready (GET /ready)"; tail -n 30 "$out/server.log" >&2; exit 1
  }
  log "server pid $server_pid on 127.0.0.1:$server_port"
}

# --- CPU accounting -----------------------------------------------------------------------------

# utime+stime (clock ticks) of the given pids, summed.
cpu_ticks() {
  local total=0 pid f
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    f=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
    read -r -a fields <<<"$f"
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}

pg_pids() {
  local master
  master=$(head -n 1 "$pg_data/postmaster.pid" 2>/dev/null) || return 0
  echo "$master" $(pgrep -P "$master" || true)
}
nginx_pids() { echo "$nginx_pid" $(pgrep -P "$nginx_pid" || true); }

# Involuntary context switches (preemptions) of the threads of the given pids, summed. On this
# kind of machine a preemption by another process (wrk) is costly, and a server that works
# longer per request is preempted more often: the figure explains rates, it is not a target.
preemptions() {
  local pid
  for pid in "$@"; do cat /proc/"$pid"/task/*/status 2>/dev/null || true; done |
    awk '/^nonvoluntary_ctxt_switches/ { n += $2 } END { print n + 0 }'
}

# Busy clock ticks of the whole machine (all cores) from /proc/stat.
machine_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

declare -A cpu_start
cpu_begin() {
  cpu_start[machine]=$(machine_busy)
  cpu_start[server]=$(cpu_ticks "$server_pid")
  cpu_start[postgres]=$(cpu_ticks $(pg_pids))
  cpu_start[nginx]=$(cpu_ticks $(nginx_pids))
  cpu_start[preempted_server]=$(preemptions "$server_pid")
  cpu_start[preempted_nginx]=$(preemptions $(nginx_pids))
  cpu_start[t]=$(date +%s%N)
}
# Prints "cpu_server=% cpu_postgres=% cpu_nginx=% cpu_wrk=% cpu_other=%" (100 % = one core)
# since cpu_begin; "other" is everything else on the machine (e.g. a concurrent compile). Then
# "preempted_server=N preempted_nginx=N": their threads' preemptions since cpu_begin.
cpu_end() {
  local wrk_ticks=$1 hz elapsed_ns
  hz=$(getconf CLK_TCK)
  elapsed_ns=$(($(date +%s%N) - cpu_start[t]))
  local s p n m
  m=$(($(machine_busy) - cpu_start[machine]))
  s=$(($(cpu_ticks "$server_pid") - cpu_start[server]))
  p=$(($(cpu_ticks $(pg_pids)) - cpu_start[postgres]))
  n=$(($(cpu_ticks $(nginx_pids)) - cpu_start[nginx]))
  awk -v s="$s" -v p="$p" -v n="$n" -v w="$wrk_ticks" -v m="$m" -v hz="$hz" -v ns="$elapsed_ns" \
    'BEGIN { d = ns / 1e9 * hz / 100; o = m - s - p - n - w; if (o < 0) o = 0;
             printf "cpu_server=%.0f cpu_postgres=%.0f cpu_nginx=%.0f cpu_wrk=%.0f cpu_other=%.0f",
                    s/d, p/d, n/d, w/d, o/d }'
  echo " preempted_server=$(($(preemptions "$server_pid") - cpu_start[preempted_server]))" \
    "preempted_nginx=$(($(preemptions $(nginx_pids)) - cpu_start[preempted_nginx]))"
}

# A per-thread view of the server (and of the machine) in the middle of a scenario: top's second
# sample, so %CPU is over one second of load rather than since top started.
snapshot_top() {
  local name=$1 delay=$2
  second_sample() { awk '/^top - /{n++} n==2'; }
  (
    sleep "$delay"
    {
      echo "== $name: server threads (top -H, 1 s sample) =="
      top -H -b -n 2 -d 1 -p "$server_pid" | second_sample | head -n 30
      echo
      echo "== $name: machine (1 s sample) =="
      top -b -n 2 -d 1 | second_sample | head -n 25
    } >"$out/top-$name.txt" 2>&1
  ) &
}

seconds_of() { # "15s" / "2m" / "15" -> seconds
  local d=$1
  case $d in
    *m) echo $((${d%m} * 60)) ;;
    *s) echo "${d%s}" ;;
    *) echo "$d" ;;
  esac
}

# --- scenarios ----------------------------------------------------------------------------------

parse_result() {
  local scenario=$1 line kv
  line=$(grep '^LHRESULT' "$2" | tail -n 1 || true)
  [[ -n $line ]] || return 1
  for kv in ${line#LHRESULT }; do res[$scenario.${kv%%=*}]=${kv#*=}; done
}

# Runs wrk with a scenario script; stops it early when `until_markers` marker files exist.
run_wrk() {
  local scenario=$1 script=$2 url=$3 dur=$4 until_markers=${5:-0}
  local wout=$out/wrk-$scenario.txt
  log "$scenario: wrk -t$threads -c$connections -d$dur $url"
  curl -fsS "http://127.0.0.1:$server_port/metrics" >"$out/metrics-before-$scenario.txt" 2>/dev/null || true
  cpu_begin
  local mid=$(($(seconds_of "$dur") / 2))
  if ((until_markers > 0)); then mid=1; fi
  snapshot_top "$scenario" "$mid"
  LH_BENCH_LUA=$bench_dir/lua LH_BENCH_DATA=$tmp/data LH_BENCH_THREADS=$threads \
    LH_BENCH_SEATS=$seats wrk -t"$threads" -c"$connections" -d"$dur" --latency \
    -s "$bench_dir/lua/$script" "$url" >"$wout" 2>&1 &
  wrk_pid=$!
  local wrk_ticks=0 t
  while kill -0 "$wrk_pid" 2>/dev/null; do
    t=$(cpu_ticks "$wrk_pid")
    ((t > wrk_ticks)) && wrk_ticks=$t
    if ((until_markers > 0)); then
      local n
      n=$(find "$tmp/data" -maxdepth 1 -name 'storm-done-*' | wc -l)
      if ((n >= until_markers)); then kill -INT "$wrk_pid" 2>/dev/null || true; fi
    fi
    sleep 0.2
  done
  wait "$wrk_pid" || true
  wrk_pid=""
  local cpu
  cpu=$(cpu_end "$wrk_ticks")
  if ! parse_result "$scenario" "$wout"; then
    log "$scenario: wrk printed no result:"; cat "$wout" >&2; return 1
  fi
  local kv
  for kv in $cpu; do res[$scenario.${kv%%=*}]=${kv#*=}; done
  grep -E '^(storm|pairs):' "$wout" >&2 || true
  # The server's own counters after each scenario (record store batches, mailboxes, ...).
  curl -fsS "http://127.0.0.1:$server_port/metrics" >"$out/metrics-after-$scenario.txt" 2>/dev/null || true
  res[$scenario.records_per_batch]=$(store_batch_size "$scenario")
  res[$scenario.slow_commits]=$(store_slow_commits "$scenario")
  log "$scenario: $(grep '^LHRESULT' "$wout" | cut -c10-) $cpu records_per_batch=$(r "$scenario.records_per_batch") slow_commits=\"$(r "$scenario.slow_commits")\""
}

# How much the /metrics sample named $2 (name and labels, as printed) grew during scenario $1;
# empty if either snapshot is missing.
metric_delta() {
  local before=$out/metrics-before-$1.txt after=$out/metrics-after-$1.txt
  [[ -s $before && -s $after ]] || return 0
  awk -v k="$2" '$1 == k { v[FILENAME] = $2 } END { printf "%d", v[A] - v[B] }' \
    A="$after" B="$before" "$before" "$after"
}

# Records per transaction the record store committed during a scenario (from /metrics).
store_batch_size() {
  local batches records
  batches=$(metric_delta "$1" leasehold_store_batches_total)
  records=$(metric_delta "$1" leasehold_store_records_total)
  awk -v b="${batches:-0}" -v r="${records:-0}" 'BEGIN { if (b > 0) printf "%.1f", r / b; else print "–" }'
}

# "N of M": the record store's transactions during a scenario that took longer than 25 ms to
# commit, of all it committed (from the commit-time histogram in /metrics). Acquires and
# releases wait for their commit, so these show whether a latency tail is the database's.
store_slow_commits() {
  local all fast
  all=$(metric_delta "$1" leasehold_store_commit_duration_seconds_count)
  fast=$(metric_delta "$1" 'leasehold_store_commit_duration_seconds_bucket{le="0.025"}')
  [[ -n $all ]] || { echo "–"; return; }
  echo "$((all - fast)) of $all"
}

node_step() {
  local step=$1 nout=$out/node-$1.txt
  LH_BASE="http://127.0.0.1:$server_port" LH_OPERATOR_KEY=$operator_key LH_BENCH_DATA=$tmp/data \
    LH_BENCH_TENANTS=$tenants LH_BENCH_SEATS=$seats LH_BENCH_MEM_TENANTS=$mem_tenants \
    LH_BENCH_MEM_SESSIONS=$mem_sessions LH_BENCH_TTL_TENANTS=$ttl_tenants \
    LH_SERVER_PID=$server_pid LH_BENCH_RUN=$run_id \
    node "$bench_dir/load.mjs" "$step" 2> >(tee "$out/node-$step.err" >&2) >"$nout"
  parse_result "$step" "$nout" || { log "load.mjs $step printed no result"; return 1; }
  log "$step: $(grep '^LHRESULT' "$nout" | cut -c10-)"
}

scenario_pairs() { run_wrk pairs pairs.lua "http://127.0.0.1:$server_port" "$duration"; }

scenario_storm() {
  rm -f "$tmp/data"/storm-done-* "$tmp/data"/sessions-*.txt
  # Runs until every seat is answered (marker files), at most 60 s.
  run_wrk storm storm.lua "http://127.0.0.1:$server_port" 60s "$threads"
  cat "$tmp/data"/sessions-*.txt >"$tmp/data/sessions.txt" 2>/dev/null || true
  res[storm.live_sessions]=$(wc -l <"$tmp/data/sessions.txt")
}

scenario_nginx() { run_wrk nginx nginx.lua "http://127.0.0.1:$nginx_port" "$duration"; }

# nginx once more, after the heartbeat: on two cores its rate swings between runs (at times by
# half, seemingly with where the scheduler puts its worker and wrk's threads), and the ratio
# means little without that spread.
scenario_nginx_again() { run_wrk nginx_again nginx.lua "http://127.0.0.1:$nginx_port" "$duration"; }

scenario_edge() { run_wrk edge edge.lua "http://127.0.0.1:$server_port" "$duration"; }

scenario_heartbeat() {
  if [[ ! -s $tmp/data/sessions.txt ]]; then
    log "heartbeat: needs the storm's live sessions (run storm first)"; return 1
  fi
  run_wrk heartbeat heartbeat.lua "http://127.0.0.1:$server_port" "$duration"
}

scenario_memory() {
  # The storm's sessions are released first, so the live count is the memory scenario's own.
  if [[ -s $tmp/data/sessions.txt ]]; then node_step release; fi
  cpu_begin
  node_step memory
  local kv
  for kv in $(cpu_end 0); do res[memory.${kv%%=*}]=${kv#*=}; done
}

# --- report -------------------------------------------------------------------------------------

r() { echo "${res[$1]:-–}"; }
mib() { awk -v k="${res[$1]:-0}" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
# Three decimals: at two, 0.4965 of nginx would print as a met 0.50.
ratio() { awk -v a="${res[$1]:-0}" -v b="${res[$2]:-0}" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "–" }'; }
cpu_cols() { echo "$(r "$1.cpu_server") / $(r "$1.cpu_postgres") / $(r "$1.cpu_wrk") / $(r "$1.cpu_other")"; }

write_report() {
  local mem_kb cpu_model
  mem_kb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)
  cpu_model=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
  local table
  table=$(
    cat <<EOF
| scenario | throughput | p50 ms | p99 ms | errors | CPU % server / postgres / wrk / other |
|---|---|---|---|---|---|
| heartbeat on $(r storm.live_sessions) live sessions | $(r heartbeat.rps) req/s | $(r heartbeat.p50_ms) | $(r heartbeat.p99_ms) | $(r heartbeat.status_errors) status, $(r heartbeat.socket_errors) socket | $(cpu_cols heartbeat) |
| acquire+release pairs | $(r pairs.pairs_per_s) pairs/s ($(r pairs.rps) req/s) | $(r pairs.p50_ms) | $(r pairs.p99_ms) | $(r pairs.acquire_failed) acquire, $(r pairs.release_failed) release | $(cpu_cols pairs) |
| acquire storm, $(r storm.grants) seats | $(r storm.grants_per_s) grants/s (all in $(r storm.fill_s) s) | $(r storm.p50_ms) | $(r storm.p99_ms) | $(r storm.failed) ($(r storm.status_429) × 429, $(r storm.status_503) × 503) | $(cpu_cols storm) |
| server GET /health (edge only, no token, no actor) | $(r edge.rps) req/s | $(r edge.p50_ms) | $(r edge.p99_ms) | $(r edge.status_errors) status, $(r edge.socket_errors) socket | $(cpu_cols edge) |
| nginx fixed $(r nginx.reply_bytes)-byte JSON | $(r nginx.rps) req/s | $(r nginx.p50_ms) | $(r nginx.p99_ms) | $(r nginx.status_errors) status, $(r nginx.socket_errors) socket | nginx $(r nginx.cpu_nginx), wrk $(r nginx.cpu_wrk), other $(r nginx.cpu_other) |
| nginx again, after the heartbeat | $(r nginx_again.rps) req/s | $(r nginx_again.p50_ms) | $(r nginx_again.p99_ms) | $(r nginx_again.status_errors) status, $(r nginx_again.socket_errors) socket | nginx $(r nginx_again.cpu_nginx), wrk $(r nginx_again.cpu_wrk), other $(r nginx_again.cpu_other) |

| figure | value |
|---|---|
| heartbeat / nginx (first run; second run) | $(ratio heartbeat.rps nginx.rps); $(ratio heartbeat.rps nginx_again.rps) |
| records per committed transaction (pairs / storm) | $(r pairs.records_per_batch) / $(r storm.records_per_batch) |
| transactions that took over 25 ms to commit (pairs / storm) | $(r pairs.slow_commits) / $(r storm.slow_commits) |
| server /health / nginx | $(ratio edge.rps nginx.rps) |
| preemptions per request: server in heartbeat / server in /health / nginx (first run) | $(ratio heartbeat.preempted_server heartbeat.requests) / $(ratio edge.preempted_server edge.requests) / $(ratio nginx.preempted_nginx nginx.requests) |
| live sessions held (memory scenario) | $(r memory.sessions) across $(r memory.tenants) tenants ($(r memory.failed) failed), loaded at $(r memory.acquires_per_s) acquires/s |
| server RSS before → with those sessions | $(mib memory.rss_before_kb) → $(mib memory.rss_after_kb) |
| server peak RSS (VmHWM, whole run) | $(mib memory.hwm_kb) |
| memory per live session (RSS delta / sessions) | $(r memory.bytes_per_session) bytes |
| expiry at that size: seat re-acquirable after deadline (upper bound) | p50 $(r memory.expiry_lag_p50_ms) ms, max $(r memory.expiry_lag_max_ms) ms over $(r memory.expiry_samples) sessions ($(r memory.expiry_problems) problems) |
| audit \`expire\` time − deadline (upper bound; \`at\` resolution $(r memory.audit_resolution_ms) ms) | max $(r memory.audit_lag_max_ms) ms ($(r memory.audit_expire_events) events) |
| loading: $(r setup.tenants) tenants registered + licensed | $(r setup.seconds) s |
EOF
  )
  echo
  echo "$table"
  echo
  {
    echo "# Benchmark results"
    echo
    echo "Written by \`bench/run.sh\` (see bench/README.md). Targets are in the seat-leasing issue:"
    echo "heartbeat ≥ 30,000 req/s, ≥ 0.5 × nginx, p99 < 5 ms; acquire+release ≥ 4,000 pairs/s,"
    echo "p99 < 20 ms; storm ≥ 8,000 grants/s; 100,000 sessions < 600 MiB RSS, expiry within 1 s."
    echo
    echo "- Date: $(date -u +'%Y-%m-%d %H:%M UTC')"
    echo "- Machine: $(nproc) cores ($cpu_model), $((mem_kb / 1024)) MiB memory, $(uname -sr)"
    echo "- Command: \`$command_line\`"
    echo "- Commit: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "- Settings: wrk -t$threads -c$connections -d$duration (storm: until every seat is answered);"
    echo "  $tenants tenants × $seats seats; PostgreSQL $("$(pg_bindir)/postgres" --version | awk '{print $3}') with fsync=on,"
    echo "  synchronous_commit=on; server, PostgreSQL, nginx and wrk on the same machine, loopback only."
    echo
    echo "$table"
    echo
    echo "Notes"
    echo
    echo "- p50/p99 are wrk's per-request latencies. For pairs they mix acquires and releases"
    echo "  (wrk has no per-connection state, so each thread queues the release of every granted"
    echo "  session and sends it as its next request); pairs/s counts successful releases."
    echo "  wrk corrects them for coordinated omission: a response slower than a connection's mean"
    echo "  interval (duration / requests per connection) adds the samples that connection would"
    echo "  have sent meanwhile, so one stall of every connection weighs many times in the p99."
    echo "- CPU % is per process over the scenario (100 % = one core; the machine has $(nproc))."
    echo "  \"other\" is the rest of the machine (anything not started by the benchmark): figures"
    echo "  taken while it is high are lower than the machine can do."
    echo "- Preemptions are the involuntary context switches of the server's (or nginx's) threads"
    echo "  over the scenario, per request wrk counted: mostly wrk taking the core back."
    echo "- A transaction over 25 ms to commit holds every acquire and release in it: a p99 that"
    echo "  comes with such commits is the database's, not the server's."
    echo "- The expiry lag is measured from the client's send time of the holder's acquire + TTL to"
    echo "  the arrival of the waiting client's grant (polling every 50 ms): an upper bound."
  } >"$results_md"
  log "wrote $results_md"
}

# --- main ---------------------------------------------------------------------------------------

main() {
  ensure_tools
  mkdir -p "$out"
  rm -f "$out"/*.txt "$out"/*.err "$out"/*.log 2>/dev/null || true
  if [[ -z ${LH_BENCH_SKIP_BUILD:-} ]]; then
    log "building the release preset"
    (cd "$repo" && cmake --preset release >"$out/cmake-configure.log" 2>&1 &&
      cmake --build --preset release >"$out/cmake-build.log" 2>&1) || {
      log "release build failed (see $out/cmake-*.log):"; tail -n 30 "$out/cmake-build.log" >&2 || true; exit 1
    }
  fi
  [[ -x $server_bin ]] || { log "no server binary at $server_bin"; exit 1; }

  tmp=$(mktemp -d /tmp/lhb.XXXXXX)
  chmod 755 "$tmp"
  mkdir -p "$tmp/data"
  run_id=$(date +%s)

  start_postgres
  start_nginx
  start_server

  log "loading $tenants tenants × $seats seats (one owner each) through the API"
  node_step setup

  local s
  for s in $scenarios; do
    "scenario_$s" || log "$s: failed, continuing"
  done

  write_report
}

main "$@"
