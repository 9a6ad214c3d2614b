-- Heartbeats on live sessions: every request is POST /api/v1/licenses/heartbeat for the next
-- (token, session) pair of this thread, round robin over sessions.txt ("license_id session_id",
-- written by storm.lua). The requests are formatted once in init().
local C = dofile(os.getenv("LH_BENCH_LUA") .. "/common.lua")

setup = C.setup

local requests = {}
local next_request = 0

function init(args)
  local token_of = {}
  for _, t in ipairs(C.read_tenants()) do
    token_of[t.storm] = t.token
  end
  local k = 0
  for line in io.lines(C.data .. "/sessions.txt") do
    local license, session = line:match("^(%S+) (%S+)")
    if license and token_of[license] then
      if k % C.nthreads == thread_index then
        requests[#requests + 1] = C.post("/api/v1/licenses/heartbeat", token_of[license],
                                         '{"session_id":"' .. session .. '"}')
      end
      k = k + 1
    end
  end
  assert(#requests > 0, "no live sessions to heartbeat in " .. C.data .. "/sessions.txt")
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

function done(summary, latency, _)
  C.report("heartbeat", summary, latency)
end
