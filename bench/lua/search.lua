-- search: the API search of requests for one word, drawn from a list of common, medium and
-- rare words, some typed with Arabic letters, Persian digits or in Turkish and Kazakh upper
-- case. Argument: a file of the paths to request, one a line, each already percent-encoded.
local paths = {}

function init(args)
   for line in io.lines(args[1]) do
      if #line > 0 then
         paths[#paths + 1] = line
      end
   end
   math.randomseed(os.time() * 97 + id)
end

function request()
   return wrk.format(nil, paths[math.random(#paths)])
end
