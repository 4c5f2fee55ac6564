-- wrk script of bench/web_wrk.py: POST the first questionnaire page, cycling over the
-- respondents' sessions (`sessions` and `page_body` are written in front by the bench).
local i = 0

request = function()
  i = i + 1
  local s = sessions[(i % #sessions) + 1]
  return wrk.format("POST", "/q/site", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = s[1],
  }, "csrf_token=" .. s[2] .. "&" .. page_body)
end
