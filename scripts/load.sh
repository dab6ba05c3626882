#!/usr/bin/env bash
# A short, bounded load run against the demo API on loopback: wrk sends a
# mix of allowed, disallowed and preflight requests, and the run fails
# unless
#   - wrk saw no socket error (connect, read, write, timeout);
#   - every response has the status and CORS headers of its kind, and
#     `Vary` covering `Origin`, in the proportions sent;
#   - the server's resident memory (VmRSS) after the run is within
#     $LOAD_RSS_SLACK_KIB (default 4096) of what it was after a warm-up run.
#
#   scripts/load.sh [seconds, default 5]
#
# Needs wrk (Debian package wrk): installed with apt-get when missing and
# run as root, otherwise it stops and says so. Sends traffic to 127.0.0.1 only.
set -euo pipefail

seconds="${1:-5}"
slack_kib="${LOAD_RSS_SLACK_KIB:-4096}"
connections=16
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        apt-get update
        apt-get install -y --no-install-recommends wrk
    else
        echo "load.sh needs wrk: apt-get install wrk" >&2
        exit 1
    fi
fi

work="$(mktemp -d)"
demo_pid=""
cleanup() {
    if [ -n "$demo_pid" ]; then
        kill "$demo_pid" 2>/dev/null || true
        wait "$demo_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

cargo build --quiet --example demo
demo="$target/debug/examples/demo"

read -r api_port app_port blocked_port < <(python3 - <<'PY'
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks:
    s.close()
PY
)
"$demo" --api-port "$api_port" --app-port "$app_port" --blocked-port "$blocked_port" >"$work/demo.log" 2>&1 &
demo_pid=$!
for _ in $(seq 100); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1).close()" "$api_port" 2>/dev/null; then
        break
    fi
    sleep 0.2
done

# Six kinds of request, sent in turn; each maps to one kind of response:
# "STATUS ALLOW-ORIGIN VARY" (vary `origin`: Vary: Origin; `preflight`:
# Origin, Access-Control-Request-Method, Access-Control-Request-Headers).
cat >"$work/mix.lua" <<'LUA'
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
    local lower = {}
    for name, value in pairs(headers) do
        lower[string.lower(name)] = value
    end
    local vary = string.lower(lower["vary"] or "")
    local vary_kind = "none"
    if vary == "origin, access-control-request-method, access-control-request-headers" then
        vary_kind = "preflight"
    elseif string.find("," .. string.gsub(vary, " ", "") .. ",", ",origin,", 1, true) then
        vary_kind = "origin"
    end
    local key = status .. " " .. (lower["access-control-allow-origin"] or "-") .. " " .. vary_kind
    if lower["access-control-allow-credentials"] and not lower["access-control-allow-origin"] then
        key = key .. " credentials-without-origin"
    end
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
LUA

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$demo_pid/status"; }

url="http://127.0.0.1:$api_port"
# Warm-up: worker threads, buffers and allocator arenas reach their working size.
wrk -t1 -c"$connections" -d1s --timeout 2s -s "$work/mix.lua" "$url" >"$work/warmup.txt"
sleep 1
rss_before=$(rss_kib)
wrk -t1 -c"$connections" -d"${seconds}s" --timeout 2s -s "$work/mix.lua" "$url" >"$work/run.txt"
sleep 1
rss_after=$(rss_kib)
kill -0 "$demo_pid" # still running

grep -E '^(Running|  [0-9]+ threads|Requests/sec|    Latency)' "$work/run.txt" || true
grep '^LOAD' "$work/run.txt" | sort

python3 - "$work/run.txt" "$connections" "$rss_before" "$rss_after" "$slack_kib" <<'PY'
import re
import sys

lines = open(sys.argv[1]).read().splitlines()
connections, before, after, slack = (int(x) for x in sys.argv[2:6])
problems = []
requests = sent = 0
got, expect = {}, {}
for line in lines:
    if m := re.match(r"LOAD requests (\d+) sent (\d+)", line):
        requests, sent = int(m[1]), int(m[2])
    elif m := re.match(r"LOAD errors connect (\d+) read (\d+) write (\d+) timeout (\d+)", line):
        if any(int(x) for x in m.groups()):
            problems.append("socket errors: " + line[5:])
    elif m := re.match(r"LOAD got (\d+) (.*)", line):
        got[m[2]] = int(m[1])
    elif m := re.match(r"LOAD expect (\d+)/(\d+) (.*)", line):
        expect[m[3]] = int(m[1]) / int(m[2])
if requests < 1000:
    problems.append(f"only {requests} requests")
for key, n in got.items():
    if key not in expect:
        problems.append(f"unexpected response: {n} x {key}")
for key, share in expect.items():
    n = got.get(key, 0)
    # Requests still in flight when the run stops were sent but not answered.
    if abs(n - share * sent) > connections + 1:
        problems.append(f"{key}: {n} responses, expected {share * sent:.0f} of {sent} sent")
growth = after - before
print(f"{requests} responses in total; server VmRSS {before} KiB before, {after} KiB after ({growth:+d} KiB, limit +{slack})")
if growth > slack:
    problems.append(f"resident memory grew by {growth} KiB")
for problem in problems:
    print("  PROBLEM", problem)
sys.exit(1 if problems else 0)
PY
echo "load: ok"
