-- One X-Forwarded-For address per request for the first CLIENTS requests (10.x.y.z; LuaJIT in wrk: no bit operators).
-- wrk -t1 -c16 -d60s -s bench/scale/ratelimit_clients.lua http://127.0.0.1:PORT/rl   (CLIENTS from the environment)
local clients = tonumber(os.getenv("CLIENTS") or "100000")
local first = tonumber(os.getenv("FIRST_OCTET") or "10") -- another wave of clients: 11, 12, ...
local counter = 0
request = function()
  local n = counter
  counter = counter + 1
  if n >= clients then
    -- Every client has been seen once: the rest go to a path without a policy (404), so no client is seen twice.
    return wrk.format("GET", "/no-such-route")
  end
  local address = string.format("%d.%d.%d.%d", first, math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  return wrk.format("GET", nil, { ["X-Forwarded-For"] = address })
end
