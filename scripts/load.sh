#!/usr/bin/env bash
# A short, bounded load run against the demo API on loopback: wrk sends a
# mix of allowed, disallowed and preflight requests (scripts/load-mix.lua),
# and the run fails (scripts/load_check.py) unless
#   - wrk saw no socket error (connect, read, write, timeout);
#   - every response has the status and CORS headers of its kind, and
#     `Vary` covering `Origin`, in the proportions sent;
#   - the server's resident memory (VmRSS) after the run is within
#     $LOAD_RSS_SLACK_KIB (default 4096) of what it was after a warm-up run.
#
#   scripts/load.sh [seconds, default 5]
#
# Needs wrk (Debian package wrk): installed with apt-get when missing and
# run as root, otherwise it stops and says so. Sends traffic to 127.0.0.1
# only; the demo binds port 0 on loopback and prints the port it got.
set -euo pipefail

seconds="${1:-5}"
slack_kib="${LOAD_RSS_SLACK_KIB:-4096}"
connections=16
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/common.sh"

need wrk

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

"$demo" --api-port 0 --app-port 0 --blocked-port 0 >"$work/demo.log" 2>&1 &
demo_pid=$!
# The demo prints `  API                    http://localhost:PORT   (allows …)`.
api_port="$(printed "$demo_pid" "$work/demo.log" 's|^  API  *http://localhost:\([0-9][0-9]*\) .*|\1|p' 100)"
if [ -z "$api_port" ]; then
    echo "the demo printed no API address" >&2
    cat "$work/demo.log" >&2
    exit 1
fi

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$demo_pid/status"; }

url="http://127.0.0.1:$api_port"
mix="$root/scripts/load-mix.lua"
# Warm-up: worker threads, buffers and allocator arenas reach their working size.
wrk -t1 -c"$connections" -d1s --timeout 2s -s "$mix" "$url" >"$work/warmup.txt"
sleep 1
rss_before=$(rss_kib)
wrk -t1 -c"$connections" -d"${seconds}s" --timeout 2s -s "$mix" "$url" >"$work/run.txt"
sleep 1
rss_after=$(rss_kib)
kill -0 "$demo_pid" # still running

grep -E '^(Running|  [0-9]+ threads|Requests/sec|    Latency)' "$work/run.txt" || true
grep '^LOAD' "$work/run.txt" | sort

python3 "$root/scripts/load_check.py" "$work/run.txt" "$connections" "$rss_before" "$rss_after" "$slack_kib"
echo "load: ok"
