#!/usr/bin/env bash
# Compile-time cost of #[cors_credentials]: a generated crate of 100 handlers
# under the attribute against the same 100 handlers with plain #[get], in
# debug builds, clean (dependencies already built) and incremental (one
# handler body changed); plus the macro crate's own clean build and its
# dependency tree. hyperfine exports each measurement as JSON, from which the
# `tables` binary writes the table into BENCHMARKS.md between its build-time
# markers.
#
#   benchmarks/build-time.sh [runs per measurement, default 5]
#   benchmarks/build-time.sh --table-only   (the table again from the last measurement)
#
# The crates are generated under $CARGO_TARGET_DIR/benchmarks/build-time
# (default target/), never committed. Needs hyperfine: installed with
# apt-get when missing and run as root, otherwise it stops and says so.
set -euo pipefail

table_only=false
if [ "${1:-}" = --table-only ]; then
    table_only=true
    shift
fi
runs="${1:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/common.sh"

$table_only || need hyperfine

# The table is written from hyperfine's JSON by a binary of this package.
cargo build --quiet -p cors-credentials-benchmarks --bin tables
tables="$target/debug/tables"

work="$target/benchmarks/build-time"
crates="$work/crates"
macro_runs=$((runs < 3 ? runs : 3))
handlers=100
if ! $table_only; then
    rm -rf "$crates"
    mkdir -p "$crates"
    cat >"$crates/Cargo.toml" <<TOML
[workspace]
resolver = "2"
members = ["plain", "annotated"]
TOML
    # The repository's versions of actix-web and everything else.
    cp "$root/Cargo.lock" "$crates/Cargo.lock"

    for kind in plain annotated; do
        mkdir -p "$crates/$kind/src"
        {
            echo "[package]"
            echo "name = \"build-time-$kind\""
            echo "version = \"0.0.0\""
            echo "edition = \"2021\""
            echo "publish = false"
            echo
            echo "[dependencies]"
            echo "actix-web = { version = \"4.18\", default-features = false, features = [\"macros\"] }"
            if [ "$kind" = annotated ]; then
                echo "cors-credentials = { path = \"$root/cors-credentials\" }"
            fi
        } >"$crates/$kind/Cargo.toml"
        {
            echo "//! $handlers generated handlers ($kind)."
            echo "use actix_web::{get, web::ServiceConfig, Responder};"
            [ "$kind" = annotated ] && echo "use cors_credentials::cors_credentials;"
            for i in $(seq 0 $((handlers - 1))); do
                echo
                if [ "$kind" = annotated ]; then
                    echo "#[cors_credentials(origins = [\"https://app.example.com\", \"http://localhost:3000\"], headers = [\"content-type\"], max_age = 600)]"
                fi
                echo "#[get(\"/api/h$i\")]"
                echo "async fn h$i() -> impl Responder {"
                echo "    \"h$i\""
                echo "}"
            done
            echo
            echo "/// Registers every handler."
            echo "pub fn routes(cfg: &mut ServiceConfig) {"
            for i in $(seq 0 $((handlers - 1))); do
                echo "    cfg.service(h$i);"
            done
            echo "}"
        } >"$crates/$kind/src/lib.rs"
    done

    export CARGO_TARGET_DIR="$work/target"
    # Dependencies first, untimed.
    (cd "$crates" && cargo build --offline --workspace)

    measure() { # name, runs, hyperfine arguments...
        local name="$1" n="$2"
        shift 2
        hyperfine --style basic --runs "$n" --export-json "$work/$name.json" "$@"
    }
    for kind in plain annotated; do
        measure "clean-$kind" "$runs" \
            --prepare "cd '$crates' && cargo clean --offline -p build-time-$kind" \
            "cd '$crates' && cargo build --offline -p build-time-$kind"
        measure "incremental-$kind" "$runs" \
            --prepare "sed -i -E 's/\"h7( [0-9]+)?\"/\"h7 '\$(date +%s%N)'\"/' '$crates/$kind/src/lib.rs'" \
            "cd '$crates' && cargo build --offline -p build-time-$kind"
    done
    # The macro crate alone, from nothing: its own dependencies included.
    measure macro-clean "$macro_runs" \
        --prepare "rm -rf '$work/macro-target'" \
        "cargo build --offline -p cors-credentials-macros --target-dir '$work/macro-target'"
    {
        printf 'runs=%q\n' "$runs"
        printf 'macro_runs=%q\n' "$macro_runs"
        printf 'date=%q\n' "$(date -u '+%Y-%m-%d')"
        printf 'rustc=%q\n' "$(rustc --version)"
        printf 'load=%q\n' "$(cut -d' ' -f1 /proc/loadavg)"
    } >"$work/measured.env"
fi
# shellcheck disable=SC1091 # written by the measurement above
. "$work/measured.env"
cargo tree --offline -p cors-credentials-macros -e normal | sed -E 's| \(/[^)]*\)||' >"$work/tree.txt"
count="$(cargo tree --offline -p cors-credentials-macros -e normal --prefix none | sed 's/ (\*)$//' | sort -u | wc -l)"

table="$work/table.md"
"$tables" build-time "$work" --handlers "$handlers" --runs "$runs" --macro-runs "$macro_runs" \
    --date "$date" --rustc "$rustc" --cores "$(nproc)" --load "$load" --crates "$count" --tree "$work/tree.txt" \
    >"$table"
cat "$table"
benchmarks/replace-block.sh "$root/BENCHMARKS.md" build-time "$table"
