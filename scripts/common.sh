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
