-- wrk script of bench_web: each request takes the next path of the file
-- $BENCH_PATHS (one a line), each thread starting at its own place; responses
-- that are not 2xx are counted (wrk itself counts 3xx as fine); at the end one
-- line of JSON with the counts and the latency percentiles in microseconds.

paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  paths[#paths + 1] = line
end

local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  following = (offset * 7919) % #paths + 1
  failed = 0
end

function request()
  local path = paths[following]
  following = following % #paths + 1
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local not_2xx = 0
  for _, thread in ipairs(threads) do
    not_2xx = not_2xx + thread:get("failed")
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "not_2xx": %d, "socket_errors": %d, '
      .. '"timeouts": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, not_2xx,
    errors.connect + errors.read + errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max
  ))
end
