-- wrk script for G1's benchmark: every request posts a distinct gate pass (its own clientId) with a bearer token.
-- TOKEN and GATE come from the environment; each thread counts its answers by status, done() prints the totals.
-- Under overload (gate-passes.sh OVERLOAD=1) some answers are 503 (the writer's queue is full: refused at once, not stored):
-- done() also prints the shed share and the accepted passes' p99, read from wrk's latency histogram of all answers as the
-- percentile 100 x (shed + 0.99 x accepted) - i.e. assuming every 503 was answered faster than every accepted pass, which
-- holds for queue-full refusals (no wait) but not for 503s of a wait that ran out (EpiGrid:Gates:PassWaitSeconds, 10 s).
local threads = {}
local counter = 0
local prefix = ""

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  created = 0
  again = 0
  shed = 0
  other = 0
  math.randomseed(os.time() * 1000 + id)
  prefix = string.format("%08x-%04x-4%03x", math.random(0, 0x7fffffff), math.random(0, 0xffff), math.random(0, 0xfff))
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  wrk.path = "/api/gates/" .. os.getenv("GATE") .. "/passes"
end

function request()
  counter = counter + 1
  local clientId = string.format("%s-8%03x-%012x", prefix, id, counter)
  local body = '{"clientId":"' .. clientId .. '","direction":"In","temperature":36.' .. (counter % 10) ..
    ',"visitor":{"name":"压测访客","phone":"13800138000","idNumber":"610303198001011234","from":"宝鸡","to":"春天大道"}}'
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 200 then again = again + 1
  elseif status == 503 then shed = shed + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local c, a, s, o = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    a = a + t:get("again")
    s = s + t:get("shed")
    o = o + t:get("other")
  end
  io.write(string.format("CREATED %d\nOK %d\nSHED %d\nOTHER %d\n", c, a, s, o))
  local all = c + a + s + o
  if all > 0 then
    local share = s / all
    io.write(string.format("SHED_SHARE %.4f\n", share))
    io.write(string.format("ACCEPTED_PER_SEC %.0f\n", (c + a) / (summary.duration / 1e6)))
    io.write(string.format("ACCEPTED_P50_MS %.2f\n", latency:percentile(100 * (share + 0.50 * (1 - share))) / 1000))
    io.write(string.format("ACCEPTED_P99_MS %.2f\n", latency:percentile(math.min(100, 100 * (share + 0.99 * (1 - share)))) / 1000))
  end
end
