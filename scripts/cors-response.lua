-- What a response says about CORS, shared by the wrk scripts
-- (scripts/load-mix.lua, scripts/load-swap.lua), which load it with
--
--     local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
--     local cors = dofile(here .. "cors-response.lua")
local cors = {}

-- `headers` with lower-case names.
function cors.lower(headers)
    local lower = {}
    for name, value in pairs(headers) do
        lower[string.lower(name)] = value
    end
    return lower
end

-- How `Vary` reads: "preflight" (exactly `Origin, Access-Control-Request-Method,
-- Access-Control-Request-Headers`), "origin" (a list naming `Origin`) or "none".
function cors.vary_kind(lower)
    local vary = string.lower(lower["vary"] or "")
    if vary == "origin, access-control-request-method, access-control-request-headers" then
        return "preflight"
    elseif string.find("," .. string.gsub(vary, " ", "") .. ",", ",origin,", 1, true) then
        return "origin"
    end
    return "none"
end

-- `Access-Control-Allow-Origin`, or "-" without one.
function cors.allow_origin(lower)
    return lower["access-control-allow-origin"] or "-"
end

-- `Access-Control-Allow-Credentials`, or "-" without one.
function cors.allow_credentials(lower)
    return lower["access-control-allow-credentials"] or "-"
end

-- " credentials-without-origin" when the response allows credentials but
-- names no origin, else "": appended to a key, such a response matches no
-- expected one.
function cors.flags(lower)
    if lower["access-control-allow-credentials"] and not lower["access-control-allow-origin"] then
        return " credentials-without-origin"
    end
    return ""
end

return cors
