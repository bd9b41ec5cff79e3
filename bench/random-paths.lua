-- wrk script for the series bound check: every request gets a random path and query (and one of a few
-- methods, one of them non-standard), so a gateway that turned paths, queries or methods into labels
-- would mint a new series per request. STOP_AFTER=N stops the thread after N responses (0: run for -d).
local methods = { "GET", "GET", "GET", "POST", "DELETE", "PURGE" }
local prefixes = { "/bench/", "/bench/", "/bench/", "/no-such-route/", "/private/" }
local limit = tonumber(os.getenv("STOP_AFTER") or "0") or 0
local count = 0

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local r = math.random(1, 1000000000)
  local path = prefixes[r % #prefixes + 1] .. r .. "/" .. math.random(1, 1000000000)
  return wrk.format(methods[math.random(1, #methods)], path .. "?q=" .. math.random(1, 1000000000) .. "&id=" .. r)
end

function response(status, headers, body)
  count = count + 1
  if limit > 0 and count >= limit then
    wrk.thread:stop()
  end
end
