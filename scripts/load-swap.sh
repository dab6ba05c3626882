#!/usr/bin/env bash
# A load run against a dynamic origin set swapped while requests run: the
# `swap_serve` benchmark binary (two workers on loopback) alternates its set
# between A and B every $LOAD_SWAP_PERIOD_MS (default 10) ms, while wrk
# sends requests from origins in A only, in B only, in both, in neither
# (lookalikes included), without Origin, and preflights
# (scripts/load-swap.lua). The run fails (scripts/load_swap_check.py) unless
#   - wrk saw no socket error (connect, read, write, timeout) and every
#     request sent was answered but the ones in flight at the end;
#   - every response is one that set A or set B gives its kind of request;
#     an origin in both always reads the response, one in neither never
#     does, and one in A or B only sees both outcomes;
#   - the set was swapped at least 80% as often as the period asks.
#
#   scripts/load-swap.sh [seconds, default 5]
#
# The server is a debug build (the one CI's tests already built), or of
# the cargo profile $LOAD_SWAP_PROFILE (e.g. `bench`) when set.
#
# Needs wrk (Debian package wrk): installed with apt-get when missing and
# run as root, otherwise it stops and says so. Sends traffic to 127.0.0.1
# only; the server binds port 0 on loopback and prints the address it got.
set -euo pipefail

seconds="${1:-5}"
period_ms="${LOAD_SWAP_PERIOD_MS:-10}"
profile="${LOAD_SWAP_PROFILE:-dev}"
connections=16
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/common.sh"

need wrk

cargo build --quiet --profile "$profile" -p cors-credentials-benchmarks --bin swap_serve
case "$profile" in # cargo's output directory of the profile
dev | test) profile_dir=debug ;;
release | bench) profile_dir=release ;;
*) profile_dir="$profile" ;;
esac
serve swap_serve 's|^\(127\.0\.0\.1:[0-9][0-9]*\)$|\1|p' \
    "$target/$profile_dir/swap_serve" "$period_ms" 127.0.0.1:0
address="$served"

swaps() {
    python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' \
        "http://$address/swaps"
}

swaps_before=$(swaps)
wrk -t1 -c"$connections" -d"${seconds}s" --timeout 2s -s "$root/scripts/load-swap.lua" "http://$address" >"$work/run.txt"
swaps_after=$(swaps)
kill -0 "$server_pid" # still running

wrk_summary "$work/run.txt"
python3 "$root/scripts/load_swap_check.py" "$work/run.txt" "$connections" "$((swaps_after - swaps_before))" "$period_ms"
requests="$(sed -n 's/^LOAD requests \([0-9]*\) .*/\1/p' "$work/run.txt")"
per_second="$(sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p' "$work/run.txt")"
echo "load-swap: ok ($requests requests, $per_second requests/s, $((swaps_after - swaps_before)) swaps every ${period_ms} ms, ${seconds} s, $profile build)"
