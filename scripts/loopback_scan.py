"""Runs one CORS scanner with every connection and name lookup held to loopback.

usage: loopback_scan.py corscanner PROXY URL_FILE OUT_JSON
       loopback_scan.py corsair DATA_JSON OUT_JSON

Run by scan_cors.py with the Python of the virtual environment the scanners
are installed in. tldextract gets the public-suffix list bundled with it
instead of downloading one.
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
    if sys.argv[1:2] == ["corscanner"] and len(sys.argv) == 5:
        corscanner(*sys.argv[2:5])
    elif sys.argv[1:2] == ["corsair"] and len(sys.argv) == 4:
        corsair(*sys.argv[2:4])
    else:
        sys.exit(__doc__.split("\n\n")[1])
