-- Stopgap until `hemicycle-load sign-spike` exists: each request posts a signature with a unique email.
--   wrk -t2 -c64 -d10s -s LoadTests/informal/sign.lua http://127.0.0.1:8080
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  run = string.format("%d%06d", os.time(), math.floor((os.clock() * 1e6) % 1e6))
end

function request()
  counter = counter + 1
  local body = string.format('{"name":"Load %d","email":"load-%s-%d-%d@example.org"}', counter, run, tid, counter)
  return wrk.format("POST", "/api/v1/petitions/1/signatures", { ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, non-2xx %d, p50 %.1f ms, p99 %.1f ms\n", summary.requests,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
