"""Judges a run of scripts/load-swap.sh from wrk's output and the swap count.

usage: load_swap_check.py WRK_OUTPUT CONNECTIONS SWAPS PERIOD_MS

WRK_OUTPUT holds the `LOAD` lines of load-swap.lua's `done`; SWAPS is how
many times the server swapped its set between A and B while wrk ran and
PERIOD_MS the swap period. Every response must be one
that set A or set B gives its kind of request:

  origin allowed by both sets   200 (preflight 204), Allow-Origin = the
                                request's Origin, Allow-Credentials true
  allowed by A only, B only     that, or 403 without any Allow-* header;
                                both outcomes seen at least once
  allowed by neither set        always 403 without any Allow-* header
  no Origin                     200 without any Allow-* header

with `Vary` naming `Origin` (on preflight answers: `Origin,
Access-Control-Request-Method, Access-Control-Request-Headers`). Prints the
totals, the outcomes per kind, one `PROBLEM` line per problem, and exits 1
if there is any: also on a socket error (connect, read, write, timeout),
fewer than 1000 requests, more requests sent than answered beyond the ones
in flight at the end, a kind answered out of the proportion sent, or fewer
than 80% of the swaps expected in the time wrk ran (its own figure).
"""
import re
import sys

if len(sys.argv) != 5:
    sys.exit(__doc__.split("\n\n")[1])

lines = open(sys.argv[1]).read().splitlines()
connections, swaps, period_ms = (int(x) for x in sys.argv[2:5])
problems = []
requests = sent = run_ms = 0
errors = "no socket error line"
kinds = {}  # name -> (method, origin, set)
got = {}  # name -> {(status, allow_origin, allow_credentials, vary_and_flags): n}
for line in lines:
    if m := re.match(r"LOAD requests (\d+) sent (\d+) duration_us (\d+)", line):
        requests, sent, run_ms = int(m[1]), int(m[2]), int(m[3]) // 1000
    elif m := re.match(r"LOAD errors connect (\d+) read (\d+) write (\d+) timeout (\d+)", line):
        errors = f"socket errors: connect {m[1]}, read {m[2]}, write {m[3]}, timeout {m[4]}"
        if any(int(x) for x in m.groups()):
            problems.append(errors)
    elif m := re.match(r"LOAD kind (\S+) (\S+) (\S+) (\S+)$", line):
        kinds[m[1]] = (m[2], m[3], m[4])
    elif m := re.match(r"LOAD got (\d+) (\S+) (\S+) (\S+) (\S+) (.+)$", line):
        got.setdefault(m[2], {})[(m[3], m[4], m[5], m[6])] = int(m[1])
    elif line.startswith("LOAD"):
        problems.append(f"unreadable line: {line}")

if errors == "no socket error line":
    problems.append("wrk reported no socket errors line")
if not kinds:
    problems.append("no request kinds listed")
if requests < 1000:
    problems.append(f"only {requests} requests")
answered = sum(sum(outcomes.values()) for outcomes in got.values())
if answered != requests:
    problems.append(f"{answered} responses classified, wrk counted {requests}")
# Requests still in flight when wrk stops were sent but not answered.
if not 0 <= sent - requests <= connections:
    problems.append(f"{sent} requests sent, {requests} answered")
for name in got:
    if name not in kinds:
        problems.append(f"responses to a kind not sent: {name} {got[name]}")

for name, (method, origin, allowing) in kinds.items():
    preflight = method == "preflight"
    vary = "preflight" if preflight else "origin"
    allowed = ("204" if preflight else "200", origin, "true", vary)
    refused = ("403", "-", "-", vary)
    if allowing == "both":
        expected, must_see = {allowed}, {allowed}
    elif allowing in ("a", "b"):
        expected, must_see = {allowed, refused}, {allowed, refused}
    elif allowing == "neither":
        expected, must_see = {refused}, {refused}
    else:
        expected = must_see = {("200", "-", "-", "origin")}
    outcomes = got.get(name, {})
    for outcome, n in sorted(outcomes.items()):
        status, allow_origin, credentials, rest = outcome
        if allow_origin != "-" and allow_origin != origin:
            problems.append(f"{name}: {n} x Allow-Origin {allow_origin}, the request's Origin is {origin}")
        if allow_origin != "-" and allowing in ("neither", "none"):
            problems.append(f"{name}: {n} x a response readable by {origin}, which no set allows")
        if "credentials-without-origin" in rest:
            problems.append(f"{name}: {n} x Allow-Credentials without Allow-Origin")
        if outcome not in expected:
            problems.append(f"{name}: {n} x {' '.join(outcome)}, which neither set gives")
    for outcome in sorted(must_see - set(outcomes)):
        problems.append(f"{name}: never {' '.join(outcome)}")
    n = sum(outcomes.values())
    share = sent / len(kinds)
    if abs(n - share) > connections + 1:
        problems.append(f"{name}: {n} responses, expected {share:.0f} of {sent} sent")

expected_swaps = run_ms / period_ms
if swaps < 0.8 * expected_swaps:
    problems.append(f"{swaps} swaps in {run_ms} ms, expected about {expected_swaps:.0f}")

print(f"{requests} responses of {sent} requests sent in {run_ms} ms ({sent - requests} in flight at the end); {errors}")
print(f"{swaps} swaps of the set while wrk ran (one per {period_ms} ms: {expected_swaps:.0f})")
for name, (method, origin, allowing) in kinds.items():
    outcomes = ", ".join(f"{n} x {' '.join(o)}" for o, n in sorted(got.get(name, {}).items()))
    print(f"  {name:<20} {method:<9} {origin:<38} set {allowing:<7} {outcomes}")
for problem in problems:
    print("  PROBLEM", problem)
sys.exit(1 if problems else 0)
