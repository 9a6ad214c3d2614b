-- Acquire storm: every seat of every tenant's empty "storm" license is acquired as fast as
-- possible. Thread i owns the tenants whose index modulo the thread count is i and sends
-- exactly seats x tenants acquires, interleaved over its tenants (one seat of each tenant, then
-- the second seat of each, ...), each with its own hardware id. When every acquire has been
-- answered the thread writes the granted sessions to sessions-<i>.txt (heartbeat.lua's input),
-- drops a marker file and stops; run.sh stops wrk when all markers are there. grants/s is
-- measured from the first request to the last grant with a monotonic clock.
local C = dofile(os.getenv("LH_BENCH_LUA") .. "/common.lua")

setup = C.setup

local seats = tonumber(os.getenv("LH_BENCH_SEATS") or "10")
local tenants
local quota, sent = 0, 0
local sessions = {}
local finished = false
local idle -- sent after the quota, while the last answers arrive

granted, failed, answered, first_us, last_grant_us = 0, 0, 0, 0, 0
status_429, status_503, status_other = 0, 0, 0

function init(args)
  tenants = C.my_tenants(C.read_tenants(), thread_index)
  quota = #tenants * seats
  idle = wrk.format("GET", "/health")
end

local calls = 0

function request()
  calls = calls + 1
  -- wrk calls thread 0's request() once before the run to count pipelined requests; that
  -- request is never sent, so it must not use up a seat.
  if thread_index == 0 and calls == 1 then
    return idle
  end
  if sent >= quota then
    return idle
  end
  if sent == 0 then
    first_us = C.now_us()
  end
  local t = tenants[sent % #tenants + 1]
  local seat = math.floor(sent / #tenants)
  sent = sent + 1
  return C.post("/api/v1/licenses/acquire", t.token,
                '{"license_id":"' .. t.storm .. '","hardware_id":"storm-' .. seat .. '"}')
end

-- Connections with nothing left to send wait 100 ms between /health polls instead of spinning.
function delay()
  if sent >= quota then
    return 100
  end
  return 0
end

local function finish()
  finished = true
  local f = assert(io.open(C.data .. "/sessions-" .. thread_index .. ".txt", "w"))
  f:write(table.concat(sessions))
  f:close()
  local m = assert(io.open(C.data .. "/storm-done-" .. thread_index, "w"))
  m:close()
  wrk.thread:stop()
end

function response(status, headers, body)
  if finished then
    return
  end
  if status == 200 and body:find('"lease_token"', 1, true) then
    granted = granted + 1
    last_grant_us = C.now_us()
    sessions[#sessions + 1] = C.json_string(body, "license_id") .. " "
      .. C.json_string(body, "session_id") .. "\n"
  elseif status == 200 then
    return -- a /health answer after the quota
  else
    failed = failed + 1
    if status == 429 then
      status_429 = status_429 + 1
    elseif status == 503 then
      status_503 = status_503 + 1
    else
      status_other = status_other + 1
    end
    if failed <= 3 then
      io.write("storm: acquire answered " .. status .. ": " .. body:sub(1, 200) .. "\n")
    end
  end
  answered = answered + 1
  if answered >= quota then
    finish()
  end
end

function done(summary, latency, _)
  local first, last = math.huge, 0
  for _, t in ipairs(C.threads) do
    local f, l = tonumber(t:get("first_us")) or 0, tonumber(t:get("last_grant_us")) or 0
    if f > 0 and f < first then first = f end
    if l > last then last = l end
  end
  local grants = C.sum("granted")
  local span = (last > first) and (last - first) / 1e6 or 0
  C.report("storm", summary, latency, {
    { "grants", grants },
    { "grants_per_s", string.format("%.1f", span > 0 and grants / span or 0) },
    { "fill_s", string.format("%.3f", span) },
    { "failed", C.sum("failed") },
    { "status_429", C.sum("status_429") },
    { "status_503", C.sum("status_503") },
    { "status_other", C.sum("status_other") },
  })
end
