-- The request mix of scripts/load-swap.sh, for `wrk -s`, against the
-- `swap_serve` benchmark binary, whose set alternates between A
-- (only-a.example.com, both.example.com, the pattern https://*.a.example.org)
-- and B (only-b.example.com, both.example.com). The kinds below are sent in
-- turn, each naming itself in `X-Load-Kind`, which the server carries back:
-- wrk does not say which request a response answers. `done` prints the
-- kinds (`LOAD kind NAME METHOD ORIGIN SET`, SET the set allowing ORIGIN:
-- a, b, both, neither, or none without Origin) and what came back per kind
-- (`LOAD got N NAME STATUS ALLOW-ORIGIN ALLOW-CREDENTIALS VARY`), which
-- scripts/load_swap_check.py judges.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "scripts/"
local cors = dofile(here .. "cors-response.lua")

local path = "/api/data"
-- name, method, Origin (nil: none), the set allowing it, preflight?
local kinds = {
    { "get-only-a", "GET", "https://only-a.example.com", "a" },
    { "get-pattern-a", "GET", "https://tenant.a.example.org", "a" },
    { "get-only-b", "GET", "https://only-b.example.com", "b" },
    { "get-both", "GET", "https://both.example.com", "both" },
    { "put-both", "PUT", "https://both.example.com", "both" },
    { "put-only-a", "PUT", "https://only-a.example.com", "a" },
    { "get-neither", "GET", "https://evil.example.net", "neither" },
    { "get-suffix", "GET", "https://both.example.com.evil.net", "neither" },
    { "get-pattern-suffix", "GET", "https://tenant.a.example.org.evil.net", "neither" },
    { "get-apex", "GET", "https://a.example.org", "neither" },
    { "get-null", "GET", "null", "neither" },
    { "get-no-origin", "GET", nil, "none" },
    { "preflight-only-a", "OPTIONS", "https://only-a.example.com", "a", true },
    { "preflight-pattern-a", "OPTIONS", "https://tenant.a.example.org", "a", true },
    { "preflight-only-b", "OPTIONS", "https://only-b.example.com", "b", true },
    { "preflight-both", "OPTIONS", "https://both.example.com", "both", true },
    { "preflight-neither", "OPTIONS", "https://evil.example.net", "neither", true },
    { "preflight-suffix", "OPTIONS", "https://both.example.com.evil.net", "neither", true },
}

local threads = {}
function setup(thread)
    table.insert(threads, thread)
end

-- The requests, built here: `wrk.format` adds `Host`, known from now on.
local requests = {}
function init(args)
    sent = 0
    counts = {}
    for i, kind in ipairs(kinds) do
        local headers = { ["X-Load-Kind"] = kind[1] }
        local body = nil
        if kind[3] then
            headers["Origin"] = kind[3]
        end
        if kind[5] then
            headers["Access-Control-Request-Method"] = "PUT"
            headers["Access-Control-Request-Headers"] = "content-type"
        elseif kind[2] == "PUT" then
            headers["Content-Type"] = "application/json"
            body = "{}"
        end
        requests[i] = wrk.format(kind[2], path, headers, body)
    end
end

function request()
    sent = sent + 1
    return requests[(sent - 1) % #requests + 1]
end

function response(status, headers, body)
    local lower = cors.lower(headers)
    local key = (lower["x-load-kind"] or "?") .. " " .. status .. " "
        .. cors.allow_origin(lower) .. " " .. cors.allow_credentials(lower) .. " "
        .. cors.vary_kind(lower) .. cors.flags(lower)
    counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
    local total, sent_total = {}, 0
    for _, thread in ipairs(threads) do
        sent_total = sent_total + thread:get("sent")
        for key, n in pairs(thread:get("counts")) do
            total[key] = (total[key] or 0) + n
        end
    end
    local e = summary.errors
    io.write(string.format("LOAD requests %d sent %d duration_us %d\n",
        summary.requests, sent_total, summary.duration))
    io.write(string.format("LOAD errors connect %d read %d write %d timeout %d status %d\n",
        e.connect, e.read, e.write, e.timeout, e.status))
    for _, kind in ipairs(kinds) do
        local method = kind[2]
        if kind[5] then
            method = "preflight"
        end
        io.write(string.format("LOAD kind %s %s %s %s\n", kind[1], method, kind[3] or "-", kind[4]))
    end
    for key, n in pairs(total) do
        io.write(string.format("LOAD got %d %s\n", n, key))
    end
end
