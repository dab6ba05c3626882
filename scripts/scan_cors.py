"""Scans the demo API with CORScanner and Corsair; run by scripts/scan-cors.sh.

usage: scan_cors.py DEMO_BINARY WORK_DIR

Run with the Python of the virtual environment the scanners are installed
in. First both scanners scan a deliberately vulnerable loopback server that
reflects any Origin with credentials, and must flag it; then both scan every
endpoint of the demo API, must report nothing, and the demo's request log
must show that their probes reached it. Exit 1 on any failure.

Every server binds port 0 on 127.0.0.1 and the scan uses the port it got: the
reflecting server here, the demo by printing its URLs.
"""

import collections
import json
import os
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
SCANNER = SCRIPTS / "loopback_scan.py"
# The origin the demo API allows, compiled into its attributes.
ALLOWED = "http://localhost:3000"
# Every endpoint of the demo API, with its own method (and a form body for login).
ENDPOINTS = [
    "GET /",
    "GET /api/me",
    "PUT /api/me",
    "POST /api/login user=ada",
    "POST /api/logout",
    "GET /api/server-log",
]
# Seconds each scanner may run.
SCAN_TIMEOUT = 300
# The scanners run without a proxy from the environment.
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")
# The demo prints `  API                    http://localhost:PORT   (allows …)`.
DEMO_API_LINE = re.compile(r"^  API +http://localhost:(\d+) ", re.M)


class Failure(Exception):
    """Ends the scan with a message on stderr and exit status 1."""


class Reflect(BaseHTTPRequestHandler):
    """A deliberately vulnerable server: reflects any Origin, with credentials."""

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


def scan(work, name, port, allowed, endpoints):
    """Both scanners on 127.0.0.1:PORT, each ENDPOINT "METHOD /path [form body]";
    results in WORK/NAME.*"""
    urls = work / f"{name}.urls"
    data = work / f"{name}.corsair-input.json"
    entries = []
    for endpoint in endpoints:
        method, path, *body = endpoint.split(maxsplit=2)
        entries.append(
            {
                "url": f"http://127.0.0.1:{port}{path}",
                "verb": method,
                "params": body[0] if body else None,
                "headers": {"Origin": allowed, "Content-Type": "application/x-www-form-urlencoded"},
            }
        )
    data.write_text(json.dumps(entries) + "\n")
    # The URL list has each path once (CORScanner sends GET only); CORScanner
    # reaches them through its proxy option set to the server itself, so it
    # resolves no name.
    paths = sorted({endpoint.split()[1] for endpoint in endpoints})
    urls.write_text("".join(f"http://localhost:{port}{path}\n" for path in paths))
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
    for scanner, args in [
        ("corscanner", [f"http://127.0.0.1:{port}", urls, work / f"{name}.corscanner.json"]),
        ("corsair", [data, work / f"{name}.corsair.json"]),
    ]:
        out, err = work / f"{name}.{scanner}.out", work / f"{name}.{scanner}.err"
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            try:
                run = subprocess.run(
                    [sys.executable, SCANNER, scanner, *map(str, args)],
                    stdin=subprocess.DEVNULL,
                    stdout=stdout,
                    stderr=stderr,
                    env=env,
                    timeout=SCAN_TIMEOUT,
                )
            except subprocess.TimeoutExpired:
                raise Failure(f"{scanner} on {name}: no result after {SCAN_TIMEOUT} s\n{tail(err, 20)}")
        if run.returncode != 0:
            raise Failure(f"{scanner} on {name} exited with {run.returncode}\n{tail(err, 20)}")


def check(kind, work, name):
    """What one scanner reported on WORK/NAME.*: (lines to print, findings)."""
    try:
        return read_findings(kind, work, name)
    except (OSError, ValueError) as error:
        raise Failure(f"{kind} on {name}: no readable result ({error})")


def read_findings(kind, work, name):
    findings = []
    if kind == "corscanner":
        stdout = (work / f"{name}.corscanner.out").read_text(encoding="utf-8", errors="replace")
        findings += re.findall(r"Found misconfiguration! (\{.*?\})", stdout)
        results = json.loads((work / f"{name}.corscanner.json").read_text())
        findings += [json.dumps(r) for r in results if r]
        probes = len(re.findall(r"nothing found for", stdout)) + len(findings)
        errors = re.findall(
            r"^(?!.*(?:nothing found|Found misconfiguration)).*(?:Error|Traceback).*$", stdout, re.M
        )
        findings += [f"scanner error: {e}" for e in errors]
    else:
        report = json.loads((work / f"{name}.corsair.json").read_text())
        probes = 0
        for entry in report.get("report", []):
            for test, result in entry.items():
                if isinstance(result, dict):
                    probes += 1
                    if result.get("misconfigured"):
                        findings.append(f"{entry['verb']} {entry['url']} {test}: {json.dumps(result)}")
        for entry in report.get("summary", {}).get("misconfigured", []):
            findings.append(f"summary: {json.dumps(entry)}")
    lines = [f"  FINDING {finding}" for finding in findings]
    lines.append(f"  {probes} probes, {len(findings)} findings")
    return lines, findings


def tail(path, n):
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-n:])


def self_check(work):
    """Both scanners must flag a server that reflects Origin, or the scan proves nothing."""
    print("== self-check: both scanners must flag a server that reflects Origin")
    canary = HTTPServer(("127.0.0.1", 0), Reflect)
    thread = threading.Thread(target=canary.serve_forever, daemon=True)
    thread.start()
    try:
        port = canary.server_address[1]
        scan(work, "canary", port, ALLOWED, ["GET /api/me", "POST /api/login user=ada"])
    finally:
        canary.shutdown()
        canary.server_close()
    for scanner in ("corscanner", "corsair"):
        lines, findings = check(scanner, work, "canary")
        if not findings:
            output = tail(work / f"canary.{scanner}.out", 1000) + "\n" + tail(work / f"canary.{scanner}.err", 1000)
            raise Failure(f"self-check failed: {scanner} reported nothing on a reflecting server\n{output}")
        print(f"  {scanner} flags the reflecting server: {lines[-1].strip()}")


def start_demo(demo, log):
    """The demo on free loopback ports: (process, API port), read from what it prints."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [demo, "--api-port", "0", "--app-port", "0", "--blocked-port", "0"],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    for _ in range(100):
        found = DEMO_API_LINE.search(log.read_text(encoding="utf-8", errors="replace"))
        if found:
            return process, int(found[1])
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.kill()
    process.wait()
    raise Failure(f"the demo printed no API address\n{tail(log, 40)}")


def scan_demo(demo, work):
    log = work / "demo.log"
    process, port = start_demo(demo, log)
    try:
        print(f"== starting the demo API on 127.0.0.1:{port}")
        print(f"== scanning {len(ENDPOINTS)} endpoints: {' '.join(ENDPOINTS)}")
        scan(work, "demo", port, ALLOWED, ENDPOINTS)
    finally:
        process.terminate()
        process.wait()

    failed = False
    for title, scanner in [("CORScanner (cors 1.0.1):", "corscanner"), ("Corsair (corsair-scan 0.2.0):", "corsair")]:
        print(title)
        lines, findings = check(scanner, work, "demo")
        print("\n".join(lines))
        failed |= bool(findings)

    # The probes reached the demo: its request log ("api: ORIGIN REQUEST -> STATUS")
    # names the scanners' origins.
    text = log.read_text(encoding="utf-8", errors="replace")
    requests = [line for line in text.splitlines() if line.startswith("  api: ")]
    served_corscanner = sum(1 for line in requests if "evil.com" in line)
    served_corsair = sum(1 for line in requests if "scarymonster" in line)
    counts = collections.Counter(m[1] for line in requests if (m := re.search(r" -> (\d*)$", line)))
    statuses = "".join(f" {n} x {status}" for status, n in sorted(counts.items()))
    print(
        f"demo API: {len(requests)} requests logged (statuses:{statuses});"
        f" {served_corscanner} with CORScanner's evil.com origins, {served_corsair} with Corsair's scarymonster.com ones"
    )
    if served_corscanner < 20 or served_corsair < 10:
        print("the probes did not reach the demo API", file=sys.stderr)
        failed = True
    if failed:
        print(f"--- demo log (tail)\n{tail(log, 40)}", file=sys.stderr)
        for err in sorted(work.glob("demo.*.err")):
            print(f"--- {err}\n{tail(err, 20)}", file=sys.stderr)
        raise Failure("scan-cors: FAILED")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    demo, work = sys.argv[1], Path(sys.argv[2])
    # Lines in order with the messages on stderr.
    sys.stdout.reconfigure(line_buffering=True)
    try:
        self_check(work)
        scan_demo(demo, work)
    except Failure as failure:
        print(failure, file=sys.stderr)
        sys.exit(1)
    print("scan-cors: no finding")


if __name__ == "__main__":
    main()
