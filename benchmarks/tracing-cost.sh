#!/usr/bin/env bash
# What the `tracing` feature costs an allowed request (scenario 1, and the
# allowed preflight, scenario 4): instructions per request inside
# `measured_request`, from two callgrind runs (N₁ and N₂ requests) whose
# difference cancels start-up and warm-up, for the default build and for the
# build with `--features tracing` under no subscriber, a subscriber that
# disables target `cors_credentials`, and one that enables and drops every
# event.
#
#   benchmarks/tracing-cost.sh
#
# Prints a markdown table; BENCHMARKS.md ("Cost of the `tracing` feature")
# holds the last one.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/common.sh"

need valgrind

short=1000
long=3000
out="$target/benchmarks/tracing-cost"
mkdir -p "$out"

# `build NAME [CARGO ARGS]`: `measure` copied to `$out/measure-NAME`.
build() {
    local name="$1"
    shift
    cargo build --profile bench -p cors-credentials-benchmarks --bin measure "$@" >&2
    cp "$target/release/measure" "$out/measure-$name"
}
build default
build tracing --features=tracing

# Instructions inside `measured_request` of one run.
instructions() {
    local binary="$1" scenario="$2" count="$3" file
    file="$out/$(basename "$binary").${MEASURE_SUBSCRIBER:-none}.$scenario.$count.out"
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured_request*' \
        --callgrind-out-file="$file" "$binary" cors-credentials "$scenario" "$count" 2>/dev/null
    sed -n 's/^summary: //p; s/^totals: //p' "$file" | head -n 1
}

per_request() {
    local a b
    a="$(instructions "$@" "$short")"
    b="$(instructions "$@" "$long")"
    echo $(((b - a) / (long - short)))
}

echo "| build | subscriber | 1-allowed | 4-preflight |"
echo "| --- | --- | ---: | ---: |"
row() {
    local label="$1" binary="$2" subscriber="$3"
    export MEASURE_SUBSCRIBER="$subscriber"
    echo "| $label | $subscriber | $(per_request "$binary" 1-allowed) | $(per_request "$binary" 4-preflight) |"
}
row "default features" "$out/measure-default" none
row "\`tracing\`" "$out/measure-tracing" none
row "\`tracing\`" "$out/measure-tracing" off
row "\`tracing\`" "$out/measure-tracing" on
