# Sourced by the scripts: `need COMMAND [PACKAGE]` installs the Debian
# package (default: the command's name) when the command is missing and the
# script runs as root with apt-get, and otherwise stops, saying what to install.
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
