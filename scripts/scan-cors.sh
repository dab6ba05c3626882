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
# Both are installed into a temporary virtual environment. Both exit 0
# whatever they find, so their output is parsed. Before the demo, both scan
# a deliberately vulnerable loopback server that reflects any Origin with
# credentials: each must report it, or the scan proves nothing. The demo's
# request log must show that every probe reached it.
#
# Loopback only. The scanners run inside a Python wrapper that refuses any
# connection or name lookup other than 127.0.0.1, ::1 and localhost, and
# that gives tldextract the public-suffix list bundled with it instead of
# downloading one. CORScanner reaches the API through its proxy option set
# to the API itself, so it resolves no name; Corsair targets 127.0.0.1.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac

work="$(mktemp -d)"
demo_pid=""
canary_pid=""
cleanup() {
    for pid in "$demo_pid" "$canary_pid"; do
        if [ -n "$pid" ]; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$work"
}
trap cleanup EXIT

echo "== installing the scanners into $work/venv"
python3 -m venv "$work/venv"
py="$work/venv/bin/python"
"$py" -m pip install --quiet --disable-pip-version-check "cors==1.0.1" "corsair-scan==0.2.0"

echo "== building the demo"
cargo build --quiet --example demo
demo="$target/debug/examples/demo"

# Three free loopback ports: the API and the demo's two page origins.
read -r api_port app_port blocked_port < <("$py" - <<'PY'
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks:
    s.close()
PY
)

# The wrapper: loopback guard, offline tldextract, then one scanner.
cat >"$work/scan.py" <<'PY'
"""Runs one scanner with every connection and lookup held to loopback.

usage: scan.py corscanner PROXY URL_FILE OUT_JSON
       scan.py corsair DATA_JSON OUT_JSON
"""
import ipaddress
import json
import sys

LOOPBACK_NAMES = {"localhost"}


def is_loopback(host):
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host).strip("[]")
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def guard():
    """Refuse every name lookup and connection off loopback (applied after
    the scanners' gevent monkey-patching, so it covers the patched socket)."""
    import socket

    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if not is_loopback(host):
            raise OSError(f"scan-cors: refused to resolve {host!r} (loopback only)")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def check(address):
        if isinstance(address, tuple) and not is_loopback(address[0]):
            raise OSError(f"scan-cors: refused to connect to {address!r} (loopback only)")

    def connect(self, address):
        check(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(address)
        return real_connect_ex(self, address)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex


def offline_tldextract():
    import tldextract

    # The snapshot bundled with the package; no download, no cache.
    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def corscanner(proxy, url_file, out):
    sys.argv = ["cors", "-i", url_file, "-t", "4", "-T", "5", "-v", "-p", proxy, "-o", out]
    from CORScanner import cors_scan  # monkey-patches socket with gevent

    offline_tldextract()
    guard()
    cors_scan.main()


def corsair(data_file, out):
    from corsair_scan import corsair_scan

    offline_tldextract()
    guard()
    with open(data_file) as f:
        data = json.load(f)
    report = corsair_scan.corsair_scan(data, verify=False)
    with open(out, "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    if sys.argv[1] == "corscanner":
        corscanner(*sys.argv[2:5])
    else:
        corsair(*sys.argv[2:4])
PY

# The checker: what each scanner reported, and whether its probes arrived.
cat >"$work/check.py" <<'PY'
"""usage: check.py corscanner STDOUT OUT_JSON | corsair OUT_JSON
Prints one line per finding and the number of probes; exit 1 on any finding."""
import json
import re
import sys

kind = sys.argv[1]
findings = []
if kind == "corscanner":
    stdout = open(sys.argv[2], encoding="utf-8", errors="replace").read()
    findings += re.findall(r"Found misconfiguration! (\{.*?\})", stdout)
    findings += [json.dumps(r) for r in json.load(open(sys.argv[3])) if r]
    probes = len(re.findall(r"nothing found for", stdout)) + len(findings)
    errors = re.findall(r"^(?!.*(?:nothing found|Found misconfiguration)).*(?:Error|Traceback).*$", stdout, re.M)
    findings += [f"scanner error: {e}" for e in errors]
else:
    report = json.load(open(sys.argv[2]))
    probes = 0
    for entry in report.get("report", []):
        for test, result in entry.items():
            if isinstance(result, dict):
                probes += 1
                if result.get("misconfigured"):
                    findings.append(f"{entry['verb']} {entry['url']} {test}: {json.dumps(result)}")
    for entry in report.get("summary", {}).get("misconfigured", []):
        findings.append(f"summary: {json.dumps(entry)}")
for finding in findings:
    print(f"  FINDING {finding}")
print(f"  {probes} probes, {len(findings)} findings")
sys.exit(1 if findings else 0)
PY

# A deliberately vulnerable server: reflects any Origin, with credentials.
cat >"$work/canary.py" <<'PY'
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Reflect(BaseHTTPRequestHandler):
    def answer(self):
        self.send_response(200)
        origin = self.headers.get("Origin")
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Credentials", "true")
        self.send_header("Content-Length", "2")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(b"{}")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = answer

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", int(sys.argv[1])), Reflect).serve_forever()
PY

wait_for() { # PORT: until something answers on 127.0.0.1:PORT
    for _ in $(seq 100); do
        if "$py" -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1).close()" "$1" 2>/dev/null; then
            return 0
        fi
        sleep 0.2
    done
    echo "nothing listens on 127.0.0.1:$1" >&2
    return 1
}

# scan NAME HOST_PORT ALLOWED_ORIGIN ENDPOINTS...: both scanners, each
# ENDPOINT "METHOD /path [form body]"; results in $work/NAME.*
scan() {
    local name="$1" port="$2" allowed="$3"
    shift 3
    local urls="$work/$name.urls" data="$work/$name.corsair-input.json"
    : >"$urls"
    local entries=()
    local endpoint method path body
    for endpoint in "$@"; do
        read -r method path body <<<"$endpoint"
        echo "http://localhost:$port$path" >>"$urls"
        entries+=("$("$py" -c 'import json,sys; print(json.dumps({"url": sys.argv[1], "verb": sys.argv[2], "params": sys.argv[4] or None, "headers": {"Origin": sys.argv[3], "Content-Type": "application/x-www-form-urlencoded"}}))' \
            "http://127.0.0.1:$port$path" "$method" "$allowed" "${body:-}")")
    done
    (IFS=,; echo "[${entries[*]}]") >"$data"
    # The URL list has each path once (CORScanner sends GET only).
    sort -u -o "$urls" "$urls"
    timeout 300 env -u HTTP_PROXY -u HTTPS_PROXY -u http_proxy -u https_proxy -u ALL_PROXY \
        "$py" "$work/scan.py" corscanner "http://127.0.0.1:$port" "$urls" "$work/$name.corscanner.json" \
        >"$work/$name.corscanner.out" 2>"$work/$name.corscanner.err"
    timeout 300 env -u HTTP_PROXY -u HTTPS_PROXY -u http_proxy -u https_proxy -u ALL_PROXY \
        "$py" "$work/scan.py" corsair "$data" "$work/$name.corsair.json" \
        >"$work/$name.corsair.out" 2>"$work/$name.corsair.err"
}

echo "== self-check: both scanners must flag a server that reflects Origin"
canary_port="$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$py" "$work/canary.py" "$canary_port" &
canary_pid=$!
wait_for "$canary_port"
scan canary "$canary_port" "http://localhost:3000" "GET /api/me" "POST /api/login user=ada"
for scanner in corscanner corsair; do
    if [ "$scanner" = corscanner ]; then
        args=("$work/canary.corscanner.out" "$work/canary.corscanner.json")
    else
        args=("$work/canary.corsair.json")
    fi
    if "$py" "$work/check.py" "$scanner" "${args[@]}" >"$work/canary.$scanner.check"; then
        echo "self-check failed: $scanner reported nothing on a reflecting server" >&2
        cat "$work/canary.$scanner.out" "$work/canary.$scanner.err" >&2 || true
        exit 1
    fi
    echo "  $scanner flags the reflecting server: $(tail -n 1 "$work/canary.$scanner.check" | sed 's/^ *//')"
done
kill "$canary_pid"
wait "$canary_pid" 2>/dev/null || true
canary_pid=""

echo "== starting the demo API on 127.0.0.1:$api_port"
"$demo" --api-port "$api_port" --app-port "$app_port" --blocked-port "$blocked_port" >"$work/demo.log" 2>&1 &
demo_pid=$!
wait_for "$api_port"

# Every endpoint of the demo API, with its own method (and a form body for login).
endpoints=(
    "GET /"
    "GET /api/me"
    "PUT /api/me"
    "POST /api/login user=ada"
    "POST /api/logout"
)
echo "== scanning ${#endpoints[@]} endpoints: ${endpoints[*]}"
scan demo "$api_port" "http://localhost:3000" "${endpoints[@]}"

failed=0
echo "CORScanner (cors 1.0.1):"
"$py" "$work/check.py" corscanner "$work/demo.corscanner.out" "$work/demo.corscanner.json" || failed=1
echo "Corsair (corsair-scan 0.2.0):"
"$py" "$work/check.py" corsair "$work/demo.corsair.json" || failed=1

# The probes reached the demo: its request log ("api: ORIGIN REQUEST -> STATUS")
# names the scanners' origins.
grep '^  api: ' "$work/demo.log" >"$work/demo.requests" || true
served_corscanner=$(grep -c 'evil\.com' "$work/demo.requests" || true)
served_corsair=$(grep -c 'scarymonster' "$work/demo.requests" || true)
statuses=$(sed -n 's/.* -> \([0-9]*\)$/\1/p' "$work/demo.requests" | sort | uniq -c | awk '{printf " %s x %s", $1, $2}')
echo "demo API: $(wc -l <"$work/demo.requests") requests logged (statuses:$statuses);" \
    "$served_corscanner with CORScanner's evil.com origins, $served_corsair with Corsair's scarymonster.com ones"
if [ "$served_corscanner" -lt 20 ] || [ "$served_corsair" -lt 10 ]; then
    echo "the probes did not reach the demo API" >&2
    failed=1
fi
if [ "$failed" -ne 0 ]; then
    echo "--- demo log (tail)" >&2
    tail -n 40 "$work/demo.log" >&2
    for f in "$work"/demo.*.err; do echo "--- $f" >&2; tail -n 20 "$f" >&2; done
    echo "scan-cors: FAILED" >&2
    exit 1
fi
echo "scan-cors: no finding"
