-- The machine's HTTP ceiling: the same wrk settings against nginx's fixed JSON reply. The
-- request has the heartbeat's shape (POST, bearer header, small JSON body) so both sides parse
-- the same bytes.
local C = dofile(os.getenv("LH_BENCH_LUA") .. "/common.lua")

setup = C.setup

local req

function init(args)
  -- A real access token when the tenants are loaded, so the header has the same length.
  local ok, tenants = pcall(C.read_tenants)
  local token = ok and tenants[1].token or string.rep("x", 300)
  req = C.post("/fixed", token, '{"session_id":"00000000-0000-4000-8000-000000000000"}')
end

function request()
  return req
end

function done(summary, latency, _)
  C.report("nginx", summary, latency)
end
