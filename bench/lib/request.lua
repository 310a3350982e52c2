-- wrk script for the Throughcare benchmark. Configured by environment variables:
--   BENCH_METHOD       GET (default) or POST
--   BENCH_BODY_FILE    file holding the request body (POST)
--   BENCH_HEADERS_FILE file of "Name: value" lines sent with every request
--   BENCH_SIGNIN_FILE  sign-in mode: file of e-mail addresses, one a line; each request signs in
--                      as the next one (body email=..&password=..&csrf=BENCH_CSRF)
--   BENCH_PASSWORD, BENCH_CSRF  for sign-in mode
-- done() prints one line "BENCH_JSON {...}" with latency percentiles (microseconds), requests,
-- duration and errors, which bench/lib/bench.py reads.

local function read_file(path)
  if path == nil or path == "" then return nil end
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function urlencode(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local method = os.getenv("BENCH_METHOD") or "GET"
local body = read_file(os.getenv("BENCH_BODY_FILE"))
local headers = {}
local raw_headers = read_file(os.getenv("BENCH_HEADERS_FILE")) or ""
for line in string.gmatch(raw_headers, "[^\r\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end

local emails = nil
local signin_file = os.getenv("BENCH_SIGNIN_FILE")
if signin_file and signin_file ~= "" then
  emails = {}
  for line in string.gmatch(read_file(signin_file), "[^\r\n]+") do
    table.insert(emails, line)
  end
end
local password = os.getenv("BENCH_PASSWORD") or ""
local csrf = os.getenv("BENCH_CSRF") or ""

local counter = 0
local thread_offset = 0
local fixed = nil

function setup(thread)
  thread_offset = thread_offset + 1
  thread:set("thread_offset", thread_offset * 100003)
end

function init(args)
  if emails == nil then
    fixed = wrk.format(method, nil, headers, body)
  end
end

function request()
  if fixed then return fixed end
  counter = counter + 1
  local email = emails[((counter + thread_offset) % #emails) + 1]
  local form = "email=" .. urlencode(email) .. "&password=" .. urlencode(password) ..
    "&csrf=" .. urlencode(csrf)
  return wrk.format("POST", nil, headers, form)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
