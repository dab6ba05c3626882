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

cargo build --quiet --example demo
# The demo prints `  API                    http://localhost:PORT   (allows …)`.
serve "the demo" 's|^  API  *http://localhost:\([0-9][0-9]*\) .*|\1|p' \
    "$target/debug/examples/demo" --api-port 0 --app-port 0 --blocked-port 0
api_port="$served"

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"; }

url="http://127.0.0.1:$api_port"
mix="$root/scripts/load-mix.lua"
# Warm-up: worker threads, buffers and allocator arenas reach their working size.
wrk -t1 -c"$connections" -d1s --timeout 2s -s "$mix" "$url" >"$work/warmup.txt"
sleep 1
rss_before=$(rss_kib)
wrk -t1 -c"$connections" -d"${seconds}s" --timeout 2s -s "$mix" "$url" >"$work/run.txt"
sleep 1
rss_after=$(rss_kib)
kill -0 "$server_pid" # still running

wrk_summary "$work/run.txt"
grep '^LOAD' "$work/run.txt" | sort

python3 "$root/scripts/load_check.py" "$work/run.txt" "$connections" "$rss_before" "$rss_after" "$slack_kib"
echo "load: ok"
