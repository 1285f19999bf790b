-- warranty_check: the public warranty check by serial, for serials known and unknown, typed as
-- customers type them (Persian digits, dashes, lower case). Argument: a file of the paths to
-- request, one a line, each already percent-encoded.
local paths = {}

function init(args)
   for line in io.lines(args[1]) do
      if #line > 0 then
         paths[#paths + 1] = line
      end
   end
   math.randomseed(os.time() * 83 + id)
end

function request()
   return wrk.format(nil, paths[math.random(#paths)])
end

-- An unknown serial is answered 404 (the page says so): expected for the unknown share of the
-- list. Anything else that is not 2xx (a 429 from the rate limit) counts as unexpected.
function response(status, headers, body)
   if (status < 200 or status >= 300) and status ~= 404 then
      unexpected = unexpected + 1
   end
end
