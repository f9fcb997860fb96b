-- wrk script for a load where every request carries a token not sent
-- before: the arguments after `--` are a file of tokens, one a line, and the
-- number of wrk threads; thread i of n sends lines i+1, i+1+n, ... in order.
-- Should the run outlast its tokens, a thread starts again from its first,
-- and done() prints how many requests repeated one. Used by soak.mjs.
local threads = {}
local tokens = {}
local position = 1
local sent = 0
repeated = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local count = tonumber(args[2])
  local line = 0
  for token in io.lines(args[1]) do
    if line % count == id then table.insert(tokens, token) end
    line = line + 1
  end
end

function request()
  if position > #tokens then
    position = 1
  end
  if sent >= #tokens then
    repeated = repeated + 1
  end
  sent = sent + 1
  local token = tokens[position]
  position = position + 1
  return wrk.format(nil, nil, { Authorization = "Bearer " .. token })
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("repeated") end
  io.write(string.format("tokens repeated: %d\n", total))
end
