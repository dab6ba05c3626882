#!/usr/bin/env bash
# End to end over loopback: each setup served by `serve` (one worker) in
# turn on a free loopback port (it binds port 0 and prints the address) and
# loaded by `wrk` (one thread, 16 connections) for a few seconds, the setups
# interleaved over a few rounds. A Lua `done` function saves each run's
# figures as JSON, from which the `tables` binary writes the median
# requests/s and p99 latency of the rounds as ratios to the bare handler into
# BENCHMARKS.md between its wrk markers. Informational: two shared cores run
# both the server and the load.
#
#   benchmarks/wrk.sh [seconds per run, default 5] [rounds, default 3]
#
# Needs wrk and curl: installed with apt-get when missing and run as root,
# otherwise it stops and says so. Sends traffic to 127.0.0.1 only.
set -euo pipefail

seconds="${1:-5}"
rounds="${2:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/common.sh"

need wrk
need curl

cargo build --profile bench -p cors-credentials-benchmarks --bin serve --bin tables
serve="$target/release/serve"
tables="$target/release/tables"
work="$target/benchmarks/wrk"
mkdir -p "$work"

# Each run's figures, as JSON in the file $WRK_JSON names: what wrk prints as
# Requests/sec is requests / duration, and p99 its 99th percentile, in µs.
cat >"$work/figures.lua" <<'LUA'
function done(summary, latency, requests)
    local file = assert(io.open(os.getenv("WRK_JSON"), "w"))
    file:write(string.format('{"requests": %d, "duration_us": %d, "p99_us": %d}\n',
        summary.requests, summary.duration, latency:percentile(99)))
    file:close()
end
LUA
{
    echo 'wrk.headers["Origin"] = "https://app.example.com"'
    cat "$work/figures.lua"
} >"$work/allowed.lua"
{
    echo 'wrk.method = "OPTIONS"'
    echo 'wrk.headers["Origin"] = "https://app.example.com"'
    echo 'wrk.headers["Access-Control-Request-Method"] = "GET"'
    echo 'wrk.headers["Access-Control-Request-Headers"] = "content-type"'
    cat "$work/figures.lua"
} >"$work/preflight.lua"

server=""
stop_server() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=""
    fi
}
trap stop_server EXIT

load="$(cut -d' ' -f1 /proc/loadavg)"
for round in $(seq "$rounds"); do
    for setup in bare cors-credentials actix-cors; do
        "$serve" "$setup" 127.0.0.1:0 >"$work/serve.out" &
        server=$!
        address="$(printed "$server" "$work/serve.out" 1p 50)"
        if [ -z "$address" ]; then
            echo "serve $setup printed no address" >&2
            exit 1
        fi
        url="http://$address/api/me"
        for scenario in allowed preflight; do
            if [ "$scenario" = allowed ]; then
                code=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: https://app.example.com" "$url")
            else
                code=$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS -H "Origin: https://app.example.com" \
                    -H "Access-Control-Request-Method: GET" -H "Access-Control-Request-Headers: content-type" "$url")
            fi
            key="$scenario.$setup"
            log="$work/$key.$round.txt"
            WRK_JSON="$work/$key.$round.json" \
                wrk -t1 -c16 -d"${seconds}s" --timeout 2s --latency -s "$work/$scenario.lua" "$url" >"$log"
            echo "$code" >"$work/$key.status"
            echo "round $round, $setup $scenario: status $code, $(awk '/^Requests\/sec:/ { print $2 }' "$log") requests/s"
        done
        stop_server
    done
done

table="$work/table.md"
"$tables" wrk "$work" --seconds "$seconds" --rounds "$rounds" --date "$(date -u '+%Y-%m-%d')" --cores "$(nproc)" \
    --load "$load" >"$table"
cat "$table"
benchmarks/replace-block.sh "$root/BENCHMARKS.md" wrk "$table"
