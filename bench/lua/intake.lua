-- intake_api: each request opens a new service request over the API for a random customer.
-- Arguments: first and last customer id.
local first_customer, last_customer
local requests = {
   {"Washing machine leaking water from underneath",
    "My washing machine started leaking from underneath during the wash. Please send a technician."},
   {"ماشین لباسشویی آب نشت می‌دهد",
    "سلام، ماشین لباسشویی از دیروز موقع شستشو از زیرش آب می‌آید. لطفاً تکنسین بفرستید."},
   {"Klima soğutmuyor",
    "Klima açılıyor, fan çalışıyor ama sadece ılık hava veriyor. Lütfen teknisyen gönderin."},
   {"Теледидарда сурет жоқ",
    "Теледидар қосылады, дыбыс шығады, бірақ экран мүлдем қара. Шебер жіберіңізші."},
}

function init(args)
   first_customer = tonumber(args[1])
   last_customer = tonumber(args[2])
   math.randomseed(os.time() * 97 + id)
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   local pick = requests[math.random(#requests)]
   local body = string.format(
      '{"customer_id": %d, "subject": "%s", "description": "%s"}',
      math.random(first_customer, last_customer), pick[1], pick[2])
   return wrk.format(nil, nil, nil, body)
end
