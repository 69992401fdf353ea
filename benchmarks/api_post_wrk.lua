-- wrk script of benchmarks/api_post_throughput.py: every request a unique Idempotency-Key (API)
-- or description (Open311); counts answers by status, keeps the number each 2xx answered, and
-- prints one JSON line at the end ("RESULT {...}").
-- wrk -t2 -c32 -d15s -s api_post_wrk.lua URL -- KIND RUN SECRET UNIT SERVICE JURISDICTION
--   KIND: api (POST /api/v1/problems/, JSON), api_queued (the same with Prefer: respond-async:
--   the 2xx carry the queued registration's token), open311 (POST /open311/v2/requests.json, form)
--   or open311_queued (the same with Prefer: respond-async: the 2xx carry the request's token)

local threads = {}
local tcount = 0

function setup(thread)
  tcount = tcount + 1
  thread:set("tid", tcount)
  table.insert(threads, thread)
end

local function urlencode(s)
  return (string.gsub(s, "[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  kind, run, secret, unit, service, jurisdiction = args[1], args[2], args[3], args[4], args[5], args[6]
  counter = 0
  statuses = {}
  numbers = {}
  first_error = ""
end

function request()
  counter = counter + 1
  local id = run .. "-" .. tid .. "-" .. counter
  if kind == "api" or kind == "api_queued" then
    local body = string.format(
      '{"title":"路灯不亮 %s","content":"村口路灯坏了三个月(%s)","unit_code":"%s","channel":"call",'
        .. '"reporter":{"name":"王大妈","phone":"13900001111"}}', id, id, unit)
    return wrk.format("POST", "/api/v1/problems/", {
      ["Authorization"] = "Bearer " .. secret,
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = id,
      ["X-Forwarded-Proto"] = "https",
      ["Prefer"] = (kind == "api_queued") and "respond-async" or nil,
    }, body)
  end
  local body = "api_key=" .. urlencode(secret) .. "&service_code=" .. urlencode(service)
    .. "&jurisdiction_id=" .. urlencode(jurisdiction) .. "&address_id=" .. urlencode(unit)
    .. "&description=" .. urlencode("村口路灯坏了三个月 " .. id)
    .. "&first_name=" .. urlencode("大妈") .. "&last_name=" .. urlencode("王") .. "&phone=13900001111"
  return wrk.format("POST", "/open311/v2/requests.json", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Forwarded-Proto"] = "https",
    ["Prefer"] = (kind == "open311_queued") and "respond-async" or nil,
  }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 200 and status < 300 then
    local queued = kind == "api_queued" or kind == "open311_queued"
    local n = (queued and string.match(body, '"token"%s*:%s*"([^"]+)"'))
      or string.match(body, '"number"%s*:%s*"([^"]+)"')
      or string.match(body, '"service_request_id"%s*:%s*"([^"]+)"')
    numbers[#numbers + 1] = n or "?"
  elseif first_error == "" then
    first_error = status .. " " .. string.sub(body, 1, 400)
  end
end

local function jstr(s)
  s = string.gsub(tostring(s), '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end)
  return '"' .. s .. '"'
end

function done(summary, latency, requests)
  local parts = {}
  local st = {}
  local nums = {}
  local errs = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do
      st[code] = (st[code] or 0) + n
    end
    for _, number in ipairs(thread:get("numbers")) do
      nums[#nums + 1] = jstr(number)
    end
    local e = thread:get("first_error")
    if e ~= "" then errs[#errs + 1] = jstr(e) end
  end
  for code, n in pairs(st) do parts[#parts + 1] = jstr(code) .. ":" .. n end
  local pct = {}
  for _, p in ipairs({ 50, 90, 95, 99, 99.9 }) do
    pct[#pct + 1] = jstr(p) .. ":" .. latency:percentile(p)
  end
  local e = summary.errors
  io.write("RESULT {"
    .. '"duration_us":' .. summary.duration
    .. ',"requests":' .. summary.requests
    .. ',"bytes":' .. summary.bytes
    .. ',"socket_errors":{"connect":' .. e.connect .. ',"read":' .. e.read .. ',"write":' .. e.write
    .. ',"status":' .. e.status .. ',"timeout":' .. e.timeout .. "}"
    .. ',"latency_us":{' .. table.concat(pct, ",") .. '},"latency_max_us":' .. latency.max
    .. ',"latency_mean_us":' .. latency.mean
    .. ',"statuses":{' .. table.concat(parts, ",") .. "}"
    .. ',"first_errors":[' .. table.concat(errs, ",") .. "]"
    .. ',"numbers":[' .. table.concat(nums, ",") .. "]}\n")
end
