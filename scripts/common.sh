# Sourced by the scripts, after they set `root` to the repository:
#
#     root="$(cd "$(dirname "$0")/.." && pwd)"
#     . "$root/scripts/common.sh"
#
# It moves to `root`, sets `target` to the absolute cargo target directory,
# and defines the helpers below.

cd "$root"
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac

# `need COMMAND [PACKAGE]` installs the Debian package (default: the
# command's name) when the command is missing and the script runs as root
# with apt-get, and otherwise stops, saying what to install.
need() {
    local command="$1" package="${2:-$1}"
    command -v "$command" >/dev/null && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        apt-get update
        apt-get install -y --no-install-recommends "$package"
    else
        echo "$(basename "$0") needs $command: apt-get install $package" >&2
        exit 1
    fi
}

# `printed PID FILE SED_SCRIPT TRIES` prints the first value SED_SCRIPT
# (run with `sed -n`) finds in FILE, the output of process PID, trying every
# 0.2 s up to TRIES times; nothing if PID ends or the tries run out first.
printed() {
    local pid="$1" file="$2" script="$3" tries="$4" value=""
    for _ in $(seq "$tries"); do
        value="$(sed -n "$script" "$file")"
        value="${value%%$'\n'*}"
        if [ -n "$value" ] || ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        sleep 0.2
    done
    printf '%s' "$value"
}

# `serve WHAT SED_SCRIPT COMMAND [ARG...]` makes the scratch folder `work`
# (removed on exit, after the server is stopped), runs COMMAND in the
# background with its output in "$work/server.log", sets `server_pid`, and
# sets `served` to the first value SED_SCRIPT finds in that output (see
# `printed`, up to 20 s); when none comes, it prints the log and stops,
# saying that WHAT printed no address.
serve() {
    local what="$1" script="$2"
    shift 2
    work="$(mktemp -d)"
    server_pid=""
    trap stop_server EXIT
    "$@" >"$work/server.log" 2>&1 &
    server_pid=$!
    served="$(printed "$server_pid" "$work/server.log" "$script" 100)"
    if [ -z "$served" ]; then
        echo "$what printed no address" >&2
        cat "$work/server.log" >&2
        exit 1
    fi
}

# Stops the server `serve` started and removes its scratch folder.
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}

# `wrk_summary FILE` prints the lines of wrk's report (FILE) that say what
# ran and how fast.
wrk_summary() {
    grep -E '^(Running|  [0-9]+ threads|Requests/sec|    Latency)' "$1" || true
}
