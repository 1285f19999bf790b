-- Shared by every scenario: count responses that are not 2xx and print one JSON line at the end.
local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

unexpected = 0

function response(status, headers, body)
   if status < 200 or status >= 300 then
      unexpected = unexpected + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   for _, thread in ipairs(threads) do
      bad = bad + thread:get("unexpected")
   end
   local seconds = summary.duration / 1e6
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "seconds": %.3f, "requests_per_s": %.2f, ' ..
      '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, ' ..
      '"unexpected_status": %d, "connect_errors": %d, "read_errors": %d, ' ..
      '"write_errors": %d, "timeouts": %d}\n',
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000,
      bad, summary.errors.connect, summary.errors.read,
      summary.errors.write, summary.errors.timeout))
end
