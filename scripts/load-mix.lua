-- The request mix of scripts/load.sh, for `wrk -s`: six kinds of request,
-- sent in turn; each maps to one kind of response, "STATUS ALLOW-ORIGIN VARY"
-- (vary `origin`: Vary: Origin; `preflight`: Origin,
-- Access-Control-Request-Method, Access-Control-Request-Headers). `done`
-- prints what was sent and what came back as `LOAD` lines, which
-- scripts/load_check.py reads.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local cors = dofile(here .. "cors-response.lua")
local allowed = "http://localhost:3000"
local kinds = {
    { "GET", "/api/me", { Origin = allowed }, nil,
      "401 http://localhost:3000 origin" },
    { "GET", "/api/me", { Origin = "https://evil.example.net" }, nil,
      "403 - origin" },
    { "POST", "/api/login", { Origin = "http://localhost:3000.evil.example.net",
      ["Content-Type"] = "application/x-www-form-urlencoded" }, "user=mallory",
      "403 - origin" },
    { "OPTIONS", "/api/me", { Origin = allowed, ["Access-Control-Request-Method"] = "PUT",
      ["Access-Control-Request-Headers"] = "content-type" }, nil,
      "204 http://localhost:3000 preflight" },
    { "OPTIONS", "/api/me", { Origin = "null", ["Access-Control-Request-Method"] = "PUT",
      ["Access-Control-Request-Headers"] = "content-type" }, nil,
      "403 - preflight" },
    { "GET", "/api/me", {}, nil, "401 - origin" },
}

local threads = {}
function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    sent = 0
    counts = {}
    expected = {}
    for _, kind in ipairs(kinds) do
        expected[kind[5]] = (expected[kind[5]] or 0) + 1
    end
end

function request()
    sent = sent + 1
    local kind = kinds[(sent - 1) % #kinds + 1]
    return wrk.format(kind[1], kind[2], kind[3], kind[4])
end

function response(status, headers, body)
    local lower = cors.lower(headers)
    local key = status .. " " .. cors.allow_origin(lower) .. " " .. cors.vary_kind(lower)
        .. cors.flags(lower)
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
    io.write(string.format("LOAD requests %d sent %d\n", summary.requests, sent_total))
    io.write(string.format("LOAD errors connect %d read %d write %d timeout %d\n",
        e.connect, e.read, e.write, e.timeout))
    for key, n in pairs(total) do
        io.write(string.format("LOAD got %d %s\n", n, key))
    end
    for key, share in pairs(threads[1]:get("expected")) do
        io.write(string.format("LOAD expect %d/%d %s\n", share, #kinds, key))
    end
end
