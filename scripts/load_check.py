"""Judges a run of scripts/load.sh from wrk's output and the server's memory.

usage: load_check.py WRK_OUTPUT CONNECTIONS RSS_BEFORE_KIB RSS_AFTER_KIB SLACK_KIB

WRK_OUTPUT holds the `LOAD` lines of load-mix.lua's `done`. Prints the total
and the memory growth, one `PROBLEM` line per problem, and exits 1 if there
is any: a socket error, fewer than 1000 requests, a response of a kind not
sent, a kind answered out of the proportion sent, or resident memory grown by
more than SLACK_KIB.
"""
import re
import sys

if len(sys.argv) != 6:
    sys.exit(__doc__.split("\n\n")[1])

lines = open(sys.argv[1]).read().splitlines()
connections, before, after, slack = (int(x) for x in sys.argv[2:6])
problems = []
requests = sent = 0
got, expect = {}, {}
for line in lines:
    if m := re.match(r"LOAD requests (\d+) sent (\d+)", line):
        requests, sent = int(m[1]), int(m[2])
    elif m := re.match(r"LOAD errors connect (\d+) read (\d+) write (\d+) timeout (\d+)", line):
        if any(int(x) for x in m.groups()):
            problems.append("socket errors: " + line[5:])
    elif m := re.match(r"LOAD got (\d+) (.*)", line):
        got[m[2]] = int(m[1])
    elif m := re.match(r"LOAD expect (\d+)/(\d+) (.*)", line):
        expect[m[3]] = int(m[1]) / int(m[2])
if requests < 1000:
    problems.append(f"only {requests} requests")
for key, n in got.items():
    if key not in expect:
        problems.append(f"unexpected response: {n} x {key}")
for key, share in expect.items():
    n = got.get(key, 0)
    # Requests still in flight when the run stops were sent but not answered.
    if abs(n - share * sent) > connections + 1:
        problems.append(f"{key}: {n} responses, expected {share * sent:.0f} of {sent} sent")
growth = after - before
print(f"{requests} responses in total; server VmRSS {before} KiB before, {after} KiB after ({growth:+d} KiB, limit +{slack})")
if growth > slack:
    problems.append(f"resident memory grew by {growth} KiB")
for problem in problems:
    print("  PROBLEM", problem)
sys.exit(1 if problems else 0)
