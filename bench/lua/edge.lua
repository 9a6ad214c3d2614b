-- The server's own HTTP ceiling: GET /health (no token, no actor) with the same wrk settings,
-- to tell the edge's cost per request apart from the seat path's.
local C = dofile(os.getenv("LH_BENCH_LUA") .. "/common.lua")

setup = C.setup

local req

function init(args)
  req = wrk.format("GET", "/health")
end

function request()
  return req
end

function done(summary, latency, _)
  C.report("edge", summary, latency)
end
