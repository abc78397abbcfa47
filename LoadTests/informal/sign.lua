-- Stopgap until `hemicycle-load sign-spike` exists: each request posts a signature with a unique email.
--   wrk -t2 -c64 -d10s -s LoadTests/informal/sign.lua http://127.0.0.1:8080
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local body = string.format('{"name":"Load %d","email":"load-%d-%d-%d@example.org"}', counter, thread_id, counter, math.random(1, 1e9))
  return wrk.format("POST", "/api/v1/petitions/1/signatures", { ["Content-Type"] = "application/json" }, body)
end

local created = 0
function response(status, headers, body)
  if status == 201 then created = created + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, non-2xx %d, p50 %.1f ms, p99 %.1f ms\n", summary.requests,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
