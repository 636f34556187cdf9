-- wrk script for `tally bench --url`: one of Tally's three load shapes, chosen by TALLY_MODE.
--   single  POST /v1/users/{user}/usage, one record with "enforce": true (an atomic check-and-record)
--   batch   POST /v1/users/{user}/usage, 100 records, each with its own idempotency key
--   read    GET  /v1/users/{user}/usage
--   check   GET  /v1/users/{user}/entitlements/bench.enforced?quantity=1 (an entitlement check, R70)
-- TALLY_USERS is "user key,user key,..."; wrk thread i (one connection each: run wrk with -t N -c N)
-- writes as user i modulo their number. TALLY_RUN makes the idempotency keys of a run unique.
-- TALLY_RATE (requests/s over all TALLY_CONNECTIONS connections) paces the requests: each
-- connection sends on a fixed schedule instead of as fast as it can, to measure latency at a load
-- below the peak; without it, every connection sends its next request as soon as it has an answer.
-- Prints one line, "tally-wrk requests=... duration_us=... errors=... status_errors=... p50_us=... p99_us=...".

local mode = os.getenv("TALLY_MODE") or "single"
local run = os.getenv("TALLY_RUN") or tostring(os.time())
local batch = 100
local rate = tonumber(os.getenv("TALLY_RATE") or "0")
local connections = tonumber(os.getenv("TALLY_CONNECTIONS") or "1")

local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_usec; } tally_timeval;
  int gettimeofday(tally_timeval *tv, void *tz);
]]
local tv = ffi.new("tally_timeval")
local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end

local users = {}
for user, key in string.gmatch(os.getenv("TALLY_USERS") or "", "([^ ,]+) ([^ ,]+)") do
  users[#users + 1] = { user, key }
end

local started = 0
function setup(thread)
  local pair = users[started % #users + 1]
  started = started + 1
  thread:set("user", pair[1])
  thread:set("key", pair[2])
  thread:set("tid", started)
end

-- With TALLY_RATE: the milliseconds to wait before the next request, so that request k of this
-- connection goes out k intervals after its first (a late answer is caught up, never made up twice).
local next_at = nil
if rate > 0 then
  function delay()
    local interval = 1000 * connections / rate
    local now = now_ms()
    if next_at == nil or next_at < now - interval then
      next_at = now
    end
    local wait = next_at - now
    next_at = next_at + interval
    return math.max(0, math.floor(wait + 0.5))
  end
end

local n = 0
function request()
  n = n + 1
  local path = "/v1/users/" .. user .. "/usage"
  local headers = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
  if mode == "read" then
    return wrk.format("GET", path, headers)
  end
  if mode == "check" then
    return wrk.format("GET", "/v1/users/" .. user .. "/entitlements/bench.enforced?quantity=1", headers)
  end
  local prefix = run .. "-" .. mode .. "-" .. tid .. "-" .. n
  local body
  if mode == "batch" then
    local records = {}
    for i = 1, batch do
      records[i] = '{"metric": "bench.batch", "quantity": 1, "idempotency_key": "' .. prefix .. "-" .. i
          .. '", "dimensions": {"source": "bench"}}'
    end
    body = '{"records": [' .. table.concat(records, ", ") .. "]}"
  else
    body = '{"enforce": true, "records": [{"metric": "bench.enforced", "quantity": 1, "idempotency_key": "'
        .. prefix .. '"}]}'
  end
  return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("tally-wrk requests=%d duration_us=%d errors=%d status_errors=%d p50_us=%d p99_us=%d\n",
      summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
      latency:percentile(50), latency:percentile(99)))
end
