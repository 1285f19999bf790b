-- ticket_page: the console page of a request, for ids spread over the whole data set.
-- Arguments: first and last ticket id.
local first_ticket, last_ticket

function init(args)
   first_ticket = tonumber(args[1])
   last_ticket = tonumber(args[2])
   math.randomseed(os.time() * 89 + id)
end

function request()
   return wrk.format(nil, "/requests/" .. math.random(first_ticket, last_ticket) .. "/")
end
