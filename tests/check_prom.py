#!/usr/bin/env python3
"""Checks of ipctop --format=prometheus, with a real parser of the format (the Python
prometheus_client's text_string_to_metric_families). TAP lines out.

check_prom.py format PROM               the exposition parses; naming conventions hold
check_prom.py objects PROM OBJS...      the helper's objects (OBJS: its JSON lines) are in
                                        the metrics with their values and exact names
check_prom.py top PROM N                at most N queues per kind, N listeners
"""
import json
import re
import sys
from collections import Counter

from prometheus_client.parser import text_string_to_metric_families

results = []


def tap(ok, desc):
    results.append(bool(ok))
    print(("ok - " if ok else "not ok - ") + desc)


def load(path):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")      # the format is UTF-8: this fails otherwise
    return raw, text, list(text_string_to_metric_families(text))


def samples(fams, name):
    for f in fams:
        for s in f.samples:
            if s.name == name:
                yield s


def label_value(name_bytes):
    """What ipctop writes for these bytes: each byte that starts no valid UTF-8
    sequence becomes U+FFFD (like its JSON), the rest is exact."""
    out, i = [], 0
    while i < len(name_bytes):
        for n in (1, 2, 3, 4):
            try:
                out.append(name_bytes[i:i + n].decode("utf-8"))
                i += n
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def check_format(path):
    raw, text, fams = load(path)
    tap(len(fams) > 0, "the exposition parses into metric families")
    names = [f.name for f in fams]
    tap(len(names) == len(set(names)), "each family appears once")
    tap(all(n.startswith("ipctop_") for n in names), "every metric name has the ipctop_ prefix")
    tap(all(re.fullmatch(r"[a-zA-Z_:][a-zA-Z0-9_:]*", n) for n in names), "metric names are valid")
    tap(all(f.type == "gauge" for f in fams), "every family is a gauge (a snapshot has no counters)")
    tap(not any(n.endswith("_total") for n in names), "no _total suffix on gauges")
    tap(all(f.documentation for f in fams), "every family has HELP text")
    # HELP and TYPE before the samples of each family, in the text itself
    helps = re.findall(r"^# HELP (\S+) ", text, re.M)
    types = re.findall(r"^# TYPE (\S+) gauge$", text, re.M)
    tap(helps == types == names, "a HELP and a TYPE line per family, in order")
    units_ok = all(not re.search(r"_(kilo|mega|giga)?bytes_", n) and
                   not re.search(r"_(ms|milliseconds|kb|mb|pages)$", n) for n in names)
    tap(units_ok, "base units only (no pages, kilobytes, milliseconds)")
    dup = Counter((s.name, tuple(sorted(s.labels.items()))) for f in fams for s in f.samples)
    tap(all(c == 1 for c in dup.values()), "no two samples with the same name and labels")
    tap(all(s.value >= 0 for f in fams for s in f.samples), "no negative value")
    tap(not any("pid" in k for f in fams for s in f.samples for k in s.labels),
        "no pid label (bounded cardinality)")
    own = [s.labels["namespace"] for s in samples(fams, "ipctop_namespace_info")
           if s.labels.get("own") == "true"]
    tap(len(own) == 1, "ipctop's own IPC namespace is listed once")
    # the limits are those of ipctop's namespace: its objects count
    kinds = {s.labels["kind"]: s.value for s in samples(fams, "ipctop_objects")
             if s.labels.get("namespace") in (None, own[0] if own else None)}
    tap("posix_mq" in kinds and "sysv_msg" in kinds, "object counts per kind")
    nsd = [s for s in samples(fams, "ipctop_objects") if s.labels["kind"].startswith(("sysv_", "posix_"))]
    tap(all("namespace" in s.labels for s in nsd), "SysV and POSIX counts carry their namespace")
    tap(not any("namespace" in s.labels for s in samples(fams, "ipctop_objects")
                if s.labels["kind"] in ("pipe", "unix")), "pipes and sockets carry none")
    used = {s.labels["limit"]: s.value for s in samples(fams, "ipctop_limit_used")}
    tap(used.get("mq_queues_max") == kinds.get("posix_mq"),
        "mq_queues_max used = ipctop_objects{kind=\"posix_mq\"} (one snapshot)")
    tap(used.get("msgmni") == kinds.get("sysv_msg"),
        "msgmni used = ipctop_objects{kind=\"sysv_msg\"} (one snapshot)")
    ratio = {s.labels["limit"]: s.value for s in samples(fams, "ipctop_limit_usage_ratio")}
    lim = {s.labels["limit"]: s.value for s in samples(fams, "ipctop_limit")}
    tap("msgmni" in ratio and abs(ratio["msgmni"] - used["msgmni"] / lim["msgmni"]) < 1e-6,
        "usage ratio = used / limit")
    tap(any(s.labels.get("limit") == "dev_shm" for s in samples(fams, "ipctop_limit_bytes")),
        "the /dev/shm size is a limit in bytes")
    tap(len(list(samples(fams, "ipctop_processes_unreadable"))) == 1, "processes not readable")


def check_objects(path, objs_paths):
    _, _, fams = load(path)
    objs = []
    for p in objs_paths:
        objs += [json.loads(line) for line in open(p, encoding="utf-8") if line.strip()]
    qbytes = {(s.labels["kind"], s.labels["queue"]): s for s in samples(fams, "ipctop_queue_bytes")}
    qmsgs = {(s.labels["kind"], s.labels["queue"]): s for s in samples(fams, "ipctop_queue_messages")}
    qcap = {(s.labels["kind"], s.labels["queue"]): s for s in samples(fams, "ipctop_queue_capacity_bytes")}
    qcapm = {(s.labels["kind"], s.labels["queue"]): s
             for s in samples(fams, "ipctop_queue_capacity_messages")}
    backlog = {s.labels["socket"]: s.value for s in samples(fams, "ipctop_unix_listen_backlog")}
    backlog_max = {s.labels["socket"]: s.value for s in samples(fams, "ipctop_unix_listen_backlog_max")}
    count, nbytes = Counter(), Counter()
    for s in samples(fams, "ipctop_objects"):
        count[s.labels["kind"]] += s.value
    for s in samples(fams, "ipctop_object_bytes"):
        nbytes[s.labels["kind"]] += s.value
    ours = Counter()
    ours_bytes = Counter()
    for o in objs:
        e = o["expect"]
        kind = o["kind"]
        ours[kind] += 1
        if kind == "sysv_msg":
            ours_bytes[kind] += e["used_bytes"]
            key = ("sysv_msg", str(e["id"]))
            s = qbytes.get(key)
            tap(s is not None and s.value == e["used_bytes"] and
                s.labels.get("key") == "0x%08x" % (e["key"] & 0xffffffff),
                "SysV queue %d: bytes %s, key label" % (e["id"], e["used_bytes"]))
            s = qmsgs.get(key)
            tap(s is not None and s.value == e["messages"], "SysV queue %d: messages" % e["id"])
            tap(key in qcap and qcap[key].value > 0, "SysV queue %d: capacity" % e["id"])
        elif kind == "posix_mq":
            name = bytes.fromhex(e["name_hex"]) if "name_hex" in e else e["name"].encode()
            ours_bytes[kind] += e["used_bytes"]
            want = "/" + label_value(name)
            key = ("posix_mq", want)
            s = qbytes.get(key)
            if e["messages"] == 0:
                tap(s is None, "empty POSIX queue %r is not among the deepest" % want)
                continue
            tap(s is not None and s.value == e["used_bytes"],
                "POSIX queue %r: exact name, bytes %d" % (want, e["used_bytes"]))
            tap(key in qmsgs and qmsgs[key].value == e["messages"], "POSIX queue %r: messages" % want)
            tap(key in qcap and qcap[key].value == e["max_messages"] * e["max_msg_size_bytes"],
                "POSIX queue %r: capacity in bytes" % want)
            tap(key in qcapm and qcapm[key].value == e["max_messages"],
                "POSIX queue %r: capacity in messages" % want)
        elif kind == "posix_shm":
            ours_bytes[kind] += e["size_bytes"]
        elif kind == "unix" and e.get("state") == "listen":
            path = bytes.fromhex(e["path_hex"]).decode("utf-8") if e.get("path_hex") else e["path"]
            tap(backlog.get(path) == e["pending_connections"],
                "listener %s: %d connections waiting" % (path, e["pending_connections"]))
            tap(backlog_max.get(path) == e["backlog"], "listener %s: backlog %d" % (path, e["backlog"]))
    for kind in ("sysv_msg", "posix_mq", "posix_shm"):
        if ours[kind]:
            tap(count.get(kind, 0) >= ours[kind], "ipctop_objects{kind=%s} counts ours" % kind)
            tap(nbytes.get(kind, 0) >= ours_bytes[kind], "ipctop_object_bytes{kind=%s} counts ours" % kind)
    near = list(samples(fams, "ipctop_unix_listeners_near_saturation"))
    if ours["unix"]:
        tap(len(near) == 1 and near[0].value >= 1, "a listener near saturation is counted")


def check_top(path, n):
    _, _, fams = load(path)
    per = Counter(s.labels["kind"] for s in samples(fams, "ipctop_queue_bytes"))
    tap(all(c <= n for c in per.values()), "at most %d queues of each kind" % n)
    tap(len(list(samples(fams, "ipctop_unix_listen_backlog"))) <= n, "at most %d listeners" % n)


def main():
    cmd = sys.argv[1]
    if cmd == "format":
        check_format(sys.argv[2])
    elif cmd == "objects":
        check_objects(sys.argv[2], sys.argv[3:])
    elif cmd == "top":
        check_top(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit("unknown command " + cmd)
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
