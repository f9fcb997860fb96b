-- wrk script for a paced load: each connection waits before each request,
-- `interval` ms on average (the first argument after `--`), so c connections
-- offer about c * 1000 / (interval + latency) requests/s, the same for any
-- server whose latency stays well below the interval. Used by worker-load.mjs.
--
-- Each wait is drawn from an exponential distribution, as the gaps between
-- independent clients' requests are. A fixed wait kept all connections in
-- step: they sent together, were served in bunches and came back together,
-- which tripled the passthrough Worker's median latency (README, Benchmarks).
local threads = 0
local interval

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  interval = tonumber(args[1])
  math.randomseed(os.time() * 1000 + id)
end

function delay()
  return math.floor(-math.log(1 - math.random()) * interval + 0.5)
end
