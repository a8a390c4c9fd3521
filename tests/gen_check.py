#!/usr/bin/env python3
"""Checks for tests/generate.sh, reading the kernel directly (not through ipctop).

  gen_check.py leftovers GENPID [PID:START...]
                                        what generator GENPID left: SysV objects with its
                                        keys, /dev/shm and mqueue names, its directory,
                                        and the given processes if still the same
  gen_check.py results FILE PATTERN MECH...
                                        TAP lines: each mechanism's JSON result is intact
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_json import list_mqueue  # noqa: E402


def starttime(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
    except OSError:
        return None
    return s[s.rindex(")") + 2:].split()[19]


def leftovers(args):
    gen = int(args[0])
    base = 0xF0000000 | (gen & 0x3FFFFF) << 5
    found = []
    for kind in ("msg", "shm", "sem"):
        with open("/proc/sysvipc/" + kind) as f:
            next(f)
            for line in f:
                key = int(line.split()[0]) & 0xffffffff
                if key & ~31 == base:
                    found.append("sysv %s id %s key %#x" % (kind, line.split()[1], key))
    name = ("ipctop-gen-%d-" % gen).encode()
    for n in os.listdir(b"/dev/shm"):
        if n.startswith(name) or n.startswith(b"sem." + name):
            found.append("/dev/shm/%s" % n.decode(errors="replace"))
    for n in list_mqueue():
        if n.startswith(name):
            found.append("mqueue %s" % n.decode(errors="replace"))
    d = "/tmp/ipctop-gen-%d" % gen
    if os.path.lexists(d):
        found.append("directory %s: %s" % (d, sorted(os.listdir(d)) if os.path.isdir(d) else "?"))
    for ps in args[1:]:
        pid, start = ps.split(":")
        if starttime(int(pid)) == start:
            found.append("process %s" % pid)
    for f in found:
        print(f)
    return True


def results(args):
    path, pattern, mechs = args[0], args[1], args[2:]
    try:
        doc = json.load(open(path))
    except ValueError as e:
        print("not ok - JSON output parses: %s" % e)
        return True
    g = doc["generate"]
    res = {r["mechanism"]: r for r in g["results"]}
    print(("ok" if g["error"] is None else "not ok") + " - %s: no error (%r)" % (pattern, g["error"]))
    for m in mechs:
        r = res.get(m)
        if r is None:
            print("not ok - %s %s: a result" % (pattern, m))
            continue
        intact = r["sent"] > 0 and r["sent"] == r["received"] and r["errors"] == 0
        print(("ok" if intact else "not ok") + " - %s %s: %d sent, %d received, %d errors"
              % (pattern, m, r["sent"], r["received"], r["errors"]))
        size = 8 if m == "eventfd" else g["msg_size"]
        lat = r["latency_ns"]
        sane = (r["bytes"] == r["received"] * size and lat["min"] > 0
                and lat["min"] <= lat["p50"] <= lat["p99"] <= lat["max"]
                and len(r["pids"]) == 2 * r["pairs"] and r["msgs_per_s"] > 0)
        print(("ok" if sane else "not ok") + " - %s %s: bytes, latency order, pids, rate (%r)"
              % (pattern, m, {k: r[k] for k in ("bytes", "latency_ns", "pids", "msgs_per_s")}))
        # timed: every message, or in an unpaced one-way stream of single messages
        # every 16th (sequence numbers 0, 16, 32, ...)
        every16 = (r["received"] + 15) // 16
        if pattern == "pingpong":
            want = [r["sent"]]
        elif pattern == "rate":
            want = [r["received"]]
        else:
            want = [r["received"], every16]
        print(("ok" if lat["samples"] in want else "not ok")
              + " - %s %s: %d latency samples of %d messages (one of %r)"
              % (pattern, m, lat["samples"], r["received"], want))
    return True


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    ok = {"leftovers": leftovers, "results": results}[mode](rest)
    sys.exit(0 if ok else 1)
