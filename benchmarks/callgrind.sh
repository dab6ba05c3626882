#!/usr/bin/env bash
# Instructions and heap allocations per request of every scenario on every
# setup, actix-web's and axum's, written with the overhead table and the
# per-function profile into BENCHMARKS.md (between its benchmark-table,
# benchmark-profile, benchmark-guard and benchmark-tower markers).
#
#   benchmarks/callgrind.sh
#
# Run `cargo bench -p cors-credentials-benchmarks` first to fill the
# wall-time column from criterion's results; without them it says so.
# Needs valgrind (callgrind, callgrind_annotate): installed with apt-get when
# missing and run as root, otherwise it stops and says so.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/common.sh"

need valgrind
need callgrind_annotate valgrind

# The bench profile: the same optimised code criterion measures, and the
# same build (no debug info, so inlined code counts for the function it is
# inlined into; symbols stay, so callgrind still names every function).
cargo build --profile bench -p cors-credentials-benchmarks --bin measure --bin report

out="$target/benchmarks/callgrind"
rm -f "$out"/*.out "$out"/*.txt
"$target/release/report" --out "$out" --criterion "$target/criterion" --write "$root/BENCHMARKS.md"

# Whole-program profiles of the long runs, for reading.
for data in "$out"/*.3000.out; do
    (cd / && callgrind_annotate --inclusive=yes --auto=no "$data") >"${data%.out}.inclusive.txt"
    (cd / && callgrind_annotate --auto=no "$data") >"${data%.out}.self.txt"
done
echo "callgrind data and profiles: $out"
