-- wrk script for G1's benchmark: every request posts a distinct gate pass (its own clientId) with a bearer token.
-- TOKEN and GATE come from the environment; each thread counts its 201s, done() prints the total.
local threads = {}
local counter = 0
local prefix = ""

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  created = 0
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
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  io.write(string.format("CREATED %d\nOTHER %d\n", c, o))
end
