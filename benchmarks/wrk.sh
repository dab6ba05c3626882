#!/usr/bin/env bash
# End to end over loopback: each setup served by `serve` (one worker) in
# turn and loaded by `wrk` (one thread, 32 connections) for a few seconds;
# requests/s and p99 latency as ratios to the bare handler, written into
# BENCHMARKS.md between its wrk markers. Informational: two shared cores
# run both the server and the load.
#
#   benchmarks/wrk.sh [seconds per run, default 5]
#
# Needs wrk and curl: installed with apt-get when missing and run as root,
# otherwise it stops and says so. Sends traffic to 127.0.0.1 only.
set -euo pipefail

seconds="${1:-5}"
target="${CARGO_TARGET_DIR:-target}"
root="$(cd "$(dirname "$0")/.." && pwd)"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
cd "$root"

for tool in wrk curl; do
    if ! command -v "$tool" >/dev/null; then
        if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
            apt-get update
            apt-get install -y --no-install-recommends "$tool"
        else
            echo "wrk.sh needs $tool: apt-get install $tool" >&2
            exit 1
        fi
    fi
done

cargo build --profile bench -p cors-credentials-benchmarks --bin serve
serve="$target/release/serve"
address=127.0.0.1:18080
url="http://$address/api/me"
work="$target/benchmarks/wrk"
mkdir -p "$work"

cat >"$work/preflight.lua" <<'LUA'
wrk.method = "OPTIONS"
wrk.headers["Origin"] = "https://app.example.com"
wrk.headers["Access-Control-Request-Method"] = "GET"
wrk.headers["Access-Control-Request-Headers"] = "content-type"
LUA

server=""
stop_server() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=""
    fi
}
trap stop_server EXIT

# to_us VALUE: wrk's latency (850.00us, 1.20ms, 1.01s) in microseconds.
to_us() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000;
        else if (v ~ /m$/) print n * 60000000; else print n * 1000000
    }'
}

load="$(cut -d' ' -f1 /proc/loadavg)"
declare -A rps p99 status
for setup in bare cors-credentials actix-cors; do
    "$serve" "$setup" "$address" &
    server=$!
    for _ in $(seq 50); do
        curl -s -o /dev/null "$url" && break
        sleep 0.1
    done
    for scenario in allowed preflight; do
        if [ "$scenario" = allowed ]; then
            args=(-H "Origin: https://app.example.com")
            code=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: https://app.example.com" "$url")
        else
            args=(-s "$work/preflight.lua")
            code=$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS -H "Origin: https://app.example.com" \
                -H "Access-Control-Request-Method: GET" -H "Access-Control-Request-Headers: content-type" "$url")
        fi
        log="$work/$scenario.$setup.txt"
        wrk -t1 -c32 -d"${seconds}s" --timeout 2s --latency "${args[@]}" "$url" >"$log"
        rps[$scenario.$setup]=$(awk '/^Requests\/sec:/ { print $2 }' "$log")
        p99[$scenario.$setup]=$(to_us "$(awk '$1 == "99%" { print $2 }' "$log")")
        status[$scenario.$setup]=$code
        echo "$setup $scenario: status $code, ${rps[$scenario.$setup]} requests/s, p99 ${p99[$scenario.$setup]} µs"
    done
    stop_server
done

table="$work/table.md"
{
    echo "| Request | Setup | Status | Requests/s | ÷ bare | p99 latency | ÷ bare |"
    echo "|---|---|---|---:|---:|---:|---:|"
    for scenario in allowed preflight; do
        for setup in bare cors-credentials actix-cors; do
            awk -v s="$scenario" -v setup="$setup" -v code="${status[$scenario.$setup]}" \
                -v r="${rps[$scenario.$setup]}" -v rb="${rps[$scenario.bare]}" \
                -v p="${p99[$scenario.$setup]}" -v pb="${p99[$scenario.bare]}" 'BEGIN {
                    name = s == "allowed" ? "GET, allowed Origin" : "preflight, allowed Origin"
                    printf "| %s | %s | %s | %.0f | %.2f | %.0f µs | %.2f |\n", name, setup, code, r, r / rb, p, p / pb
                }'
        done
    done
    echo
    echo "\`benchmarks/wrk.sh $seconds\`: \`wrk -t1 -c32 -d${seconds}s --latency\` per row, server \`serve\` with one worker," \
        "on $(date -u '+%Y-%m-%d'), $(nproc) cores shared by server and load (load average $load before the runs)." \
        "The bare handler has no preflight route, so its preflight row is a 404."
} >"$table"
cat "$table"
benchmarks/replace-block.sh "$root/BENCHMARKS.md" wrk "$table"
