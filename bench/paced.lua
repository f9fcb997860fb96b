-- wrk script for a paced load: each connection waits `interval` ms (the
-- first argument after `--`) before each request, so c connections offer
-- about c * 1000 / (interval + latency) requests/s, the same for any server
-- whose latency stays well below the interval. Used by worker-load.mjs.
local interval

function init(args)
  interval = tonumber(args[1])
end

function delay()
  return interval
end
