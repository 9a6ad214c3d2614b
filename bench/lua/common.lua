-- Helpers shared by the Leasehold wrk scripts. Each scenario script loads this file with
-- dofile(os.getenv("LH_BENCH_LUA") .. "/common.lua"); wrk runs it once in its main Lua state
-- (setup, done) and once in every thread's state (init, request, response).
--
-- Environment (set by bench/run.sh):
--   LH_BENCH_LUA     this folder
--   LH_BENCH_DATA    the run's data folder (tenants.txt, sessions.txt, markers)
--   LH_BENCH_THREADS wrk's -t (to split the tenants between the threads)

local M = {}

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } lh_timespec;
int clock_gettime(int clk_id, lh_timespec *tp);
]])
local ts = ffi.new("lh_timespec")

-- Monotonic wall clock in microseconds (os.clock is CPU time, os.time has 1 s resolution).
function M.now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

M.data = os.getenv("LH_BENCH_DATA") or "."
M.nthreads = tonumber(os.getenv("LH_BENCH_THREADS") or "1")

-- tenants.txt, written by load.mjs: "index tenant_id access_token storm_license pairs_license".
function M.read_tenants()
  local list = {}
  for line in io.lines(M.data .. "/tenants.txt") do
    local idx, tid, token, storm, pairs_lic = line:match("^(%d+) (%S+) (%S+) (%S+) (%S+)")
    if idx then
      list[#list + 1] = {
        index = tonumber(idx), tenant = tid, token = token, storm = storm, pairs = pairs_lic,
      }
    end
  end
  assert(#list > 0, "no tenants in " .. M.data .. "/tenants.txt")
  return list
end

-- The tenants this thread works on: index modulo the thread count.
function M.my_tenants(all, me)
  local mine = {}
  for _, t in ipairs(all) do
    if t.index % M.nthreads == me then
      mine[#mine + 1] = t
    end
  end
  return mine
end

function M.post(path, token, body)
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

function M.json_string(body, name)
  return body:match('"' .. name .. '"%s*:%s*"([^"]*)"')
end

-- Main state: remember the threads so done() can read their counters with thread:get().
M.threads = {}
function M.setup(thread)
  M.threads[#M.threads + 1] = thread
  thread:set("thread_index", #M.threads - 1)
end

function M.sum(name)
  local total = 0
  for _, t in ipairs(M.threads) do
    total = total + (tonumber(t:get(name)) or 0)
  end
  return total
end

-- One machine-readable line per scenario; run.sh parses "key=value" pairs after LHRESULT.
function M.report(scenario, summary, latency, extra)
  local e = summary.errors
  local line = string.format(
    "LHRESULT scenario=%s requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f"
      .. " p99_ms=%.3f max_ms=%.3f status_errors=%d socket_errors=%d",
    scenario, summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.status,
    e.connect + e.read + e.write + e.timeout)
  for _, kv in ipairs(extra or {}) do
    line = line .. " " .. kv[1] .. "=" .. tostring(kv[2])
  end
  io.write(line .. "\n")
end

return M
