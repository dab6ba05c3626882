#!/usr/bin/env bash
# Scans the demo API with two third-party CORS misconfiguration scanners
# from PyPI and fails if either reports anything:
#
#   - CORScanner (package `cors`): origin reflection, prefix, suffix and
#     substring matches, `null`, unescaped dots, trusted third parties,
#     special characters in hosts, any subdomain (GET requests);
#   - Corsair (package `corsair-scan`): a fake origin, and sub-, pre- and
#     post-domain variants of the allowed origin, with each endpoint's own
#     method.
#
#   scripts/scan-cors.sh
#
# Both are installed into a temporary virtual environment, in which
# scripts/scan_cors.py runs the scan. Both exit 0 whatever they find, so
# their output is parsed. Before the demo, both scan a deliberately
# vulnerable loopback server that reflects any Origin with credentials: each
# must report it, or the scan proves nothing. The demo's request log must
# show that every probe reached it.
#
# Loopback only. Both servers bind port 0 on loopback and the scan reads the
# port they got. The scanners run inside scripts/loopback_scan.py, which
# refuses any connection or name lookup other than 127.0.0.1, ::1 and
# localhost, and gives tldextract the public-suffix list bundled with it
# instead of downloading one. CORScanner reaches the API through its proxy
# option set to the API itself, so it resolves no name; Corsair targets
# 127.0.0.1.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/common.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== installing the scanners into $work/venv"
python3 -m venv "$work/venv"
py="$work/venv/bin/python"
"$py" -m pip install --quiet --disable-pip-version-check "cors==1.0.1" "corsair-scan==0.2.0"

echo "== building the demo"
cargo build --quiet --example demo

"$py" "$root/scripts/scan_cors.py" "$target/debug/examples/demo" "$work"
