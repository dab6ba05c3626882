#!/usr/bin/env bash
# End to end over loopback: each setup served by `serve` (one worker) in
# turn and loaded by `wrk` (one thread, 16 connections) for a few seconds,
# the setups interleaved over a few rounds; the median requests/s and p99
# latency of the rounds as ratios to the bare handler, written into
# BENCHMARKS.md between its wrk markers. Informational: two shared cores
# run both the server and the load.
#
#   benchmarks/wrk.sh [seconds per run, default 5] [rounds, default 3]
#
# Needs wrk and curl: installed with apt-get when missing and run as root,
# otherwise it stops and says so. Sends traffic to 127.0.0.1 only.
set -euo pipefail

seconds="${1:-5}"
rounds="${2:-3}"
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
for round in $(seq "$rounds"); do
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
            key="$scenario.$setup"
            log="$work/$key.$round.txt"
            wrk -t1 -c16 -d"${seconds}s" --timeout 2s --latency "${args[@]}" "$url" >"$log"
            rps[$key]+="$(awk '/^Requests\/sec:/ { print $2 }' "$log") "
            p99[$key]+="$(to_us "$(awk '$1 == "99%" { print $2 }' "$log")") "
            status[$key]=$code
            echo "round $round, $setup $scenario: status $code, $(awk '/^Requests\/sec:/ { print $2 }' "$log") requests/s"
        done
        stop_server
    done
done

# median VALUES...: the median of the numbers.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# range VALUES...: "min–max".
range() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f–%.0f", lo, hi }'; }

table="$work/table.md"
{
    echo "| Request | Setup | Status | Requests/s (median; range) | ÷ bare | p99 latency (median; range) | ÷ bare |"
    echo "|---|---|---|---:|---:|---:|---:|"
    for scenario in allowed preflight; do
        # shellcheck disable=SC2086 # the lists are split on purpose
        bare_rps=$(median ${rps[$scenario.bare]})
        # shellcheck disable=SC2086
        bare_p99=$(median ${p99[$scenario.bare]})
        for setup in bare cors-credentials actix-cors; do
            key="$scenario.$setup"
            # shellcheck disable=SC2086
            awk -v s="$scenario" -v setup="$setup" -v code="${status[$key]}" \
                -v r="$(median ${rps[$key]})" -v rr="$(range ${rps[$key]})" -v rb="$bare_rps" \
                -v p="$(median ${p99[$key]})" -v pr="$(range ${p99[$key]})" -v pb="$bare_p99" 'BEGIN {
                    name = s == "allowed" ? "GET, allowed Origin" : "preflight, allowed Origin"
                    printf "| %s | %s | %s | %.0f (%s) | %.2f | %.0f µs (%s) | %.2f |\n", name, setup, code, r, rr, r / rb, p, pr, p / pb
                }'
        done
    done
    echo
    echo "\`benchmarks/wrk.sh $seconds $rounds\`: $rounds rounds of \`wrk -t1 -c16 -d${seconds}s --latency\` per row, the setups interleaved," \
        "server \`serve\` with one worker, on $(date -u '+%Y-%m-%d'), $(nproc) cores shared by server and load (load average $load before the runs)." \
        "The bare handler has no preflight route, so its preflight row is a 404."
} >"$table"
cat "$table"
benchmarks/replace-block.sh "$root/BENCHMARKS.md" wrk "$table"
