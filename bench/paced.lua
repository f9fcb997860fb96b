-- wrk script for a fixed offered load: each connection waits `interval` ms
-- (the first argument after `--`) before each request, so c connections
-- offer about c * 1000 / interval requests/s while latency stays well below
-- the interval. Used by worker-load.mjs.
local interval

function init(args)
  interval = tonumber(args[1])
end

function delay()
  return interval
end
