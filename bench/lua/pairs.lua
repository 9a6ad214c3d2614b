-- Acquire+release pairs. wrk gives a script no per-connection state, so each thread keeps a
-- FIFO of releases: an acquire's response queues the release of the session it returned, and
-- the next request the thread sends (on whichever of its connections is free) is that release;
-- with nothing queued it sends a new acquire. Every granted session is released by the next
-- request, acquires and releases alternate, and pairs/s = successful releases / duration.
-- The acquires go round robin over this thread's tenants' "pairs" license, each with a fresh
-- hardware id (a re-acquire with the same id would just renew the same session).
local C = dofile(os.getenv("LH_BENCH_LUA") .. "/common.lua")

setup = C.setup

local tenants
local token_of = {}
local queue, head, tail = {}, 1, 0
local rr, counter = 0, 0

acquired, acquire_failed, released, release_failed, unexpected = 0, 0, 0, 0, 0

function init(args)
  local all = C.read_tenants()
  for _, t in ipairs(all) do
    token_of[t.pairs] = t.token
  end
  tenants = C.my_tenants(all, thread_index)
  assert(#tenants > 0, "no tenants for thread " .. thread_index)
end

function request()
  if head <= tail then
    local r = queue[head]
    queue[head] = nil
    head = head + 1
    return r
  end
  rr = rr % #tenants + 1
  counter = counter + 1
  local t = tenants[rr]
  return C.post("/api/v1/licenses/acquire", t.token,
                '{"license_id":"' .. t.pairs .. '","hardware_id":"pair-' .. thread_index .. "-"
                  .. counter .. '"}')
end

function response(status, headers, body)
  if status == 200 then
    local session = C.json_string(body, "session_id")
    if session and body:find('"lease_token"', 1, true) then
      acquired = acquired + 1
      local license = C.json_string(body, "license_id")
      tail = tail + 1
      queue[tail] = C.post("/api/v1/licenses/release", token_of[license],
                           '{"session_id":"' .. session .. '"}')
    elseif body:find('"released"', 1, true) then
      released = released + 1
    else
      unexpected = unexpected + 1
    end
  elseif body:find('"session_not_found"', 1, true) then
    release_failed = release_failed + 1
  else
    acquire_failed = acquire_failed + 1
    if acquire_failed <= 3 then
      io.write("pairs: acquire answered " .. status .. ": " .. body:sub(1, 200) .. "\n")
    end
  end
end

function done(summary, latency, _)
  local seconds = summary.duration / 1e6
  C.report("pairs", summary, latency, {
    { "pairs_per_s", string.format("%.1f", C.sum("released") / seconds) },
    { "acquired", C.sum("acquired") },
    { "released", C.sum("released") },
    { "acquire_failed", C.sum("acquire_failed") },
    { "release_failed", C.sum("release_failed") },
    { "unexpected", C.sum("unexpected") },
  })
end
