#!/usr/bin/env python3
"""Checks for the shell tests.

compare IPCTOP_JSON OBJS...   every object the helper made (OBJS: its JSON lines) is in
                              ipctop's JSON exactly once, with every expected field; TAP out.
processes IPCTOP_JSON OBJS... -- PID[:exact]...
                              `ipctop --pid PID...`: each PID has a "processes" entry with its
                              command and user; "objects" shows only what the PIDs hold, and for
                              each PID every made object it holds (":exact": nothing else; an
                              entry's own "objects" list is used if it has one); TAP out.
leftovers PREFIX OBJS...      print objects of ours still present (reads the kernel directly).
schema IPCTOP_JSON            the document has the documented shape; TAP out.

A made object (one line of the helper) is {"kind", "expect": {...}} plus, optionally:
  "range": {KEY: [LO, HI]}      ipctop's integer is in [LO, HI]
  "nonnull": [KEY...]           ipctop's value is not null (e.g. "stale" of a stale object)
  "holders_subset": true        expected holders need only be among ipctop's (others may hold
                                it too); the default is exactly these holders
  "contains": {KEY: [...]}    each listed value is in ipctop's list KEY (others may be too)
  "optional": REASON            ipctop may not know the kind yet: skipped if absent, its
                                failures are TODO if present
It is found by kind and the first of: id, name_hex (name bytes), inode (and dev),
eventfd_id, index (a pty's), path_hex (path bytes), or else its first expected holder
(pid and fd). Holders are compared as multisets of (pid, fd, address, access, end); each
holder's command and user must also be those of the live process. An epoll's targets
are compared in any order (the kernel lists them in its own).
"""
import json
import os
import pwd
import grp
import subprocess
import sys
import tempfile
from collections import Counter

results = []
todo = ""   # " # TODO reason" while checking an optional object
unjudged = None   # processes ipctop could not read (then it does not judge staleness)


def tap(ok, desc):
    results.append(ok or bool(todo))
    print(("ok - " if ok else "not ok - ") + desc + todo)


def load_docs(path):
    text = open(path, encoding="utf-8").read()
    dec = json.JSONDecoder()
    docs, i = [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return docs
        doc, i = dec.raw_decode(text, i)
        docs.append(doc)


def load_objs(paths):
    objs = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            objs += [json.loads(line) for line in f if line.strip()]
    return objs


def name_bytes(o):
    if "name_hex" in o:
        return bytes.fromhex(o["name_hex"])
    return o["name"].encode("utf-8")


def path_bytes(o):
    """The bytes of ipctop's "path" (path_hex when it is not UTF-8), None if unbound."""
    if o.get("path_hex") is not None:
        return bytes.fromhex(o["path_hex"])
    if o.get("path") is not None:
        return o["path"].encode("utf-8")
    return None


def holder_key(h):
    return (h.get("pid"), h.get("fd"), h.get("address"), h.get("access"), h.get("end"))


def identity(made):
    """(key, value) the object is found by, as described at the top."""
    exp = made["expect"]
    if made["kind"] == "signal":
        return "pid", exp["pid"]
    if made["kind"] == "lock" and exp.get("holders"):
        h = exp["holders"][0]
        return "holder", (h["pid"], h["fd"], h["address"])
    for k in ("id", "name_hex", "inode", "eventfd_id", "index", "path_hex"):
        if exp.get(k) is not None:
            return k, exp[k]
    if exp.get("holders"):
        h = exp["holders"][0]
        return "holder", (h["pid"], h["fd"], h["address"])
    return None, None


def matches(o, made):
    k, v = identity(made)
    exp = made["expect"]
    if k == "name_hex":
        return o.get("name") is not None and name_bytes(o) == bytes.fromhex(v)
    if k == "path_hex":
        return path_bytes(o) == bytes.fromhex(v)
    if k == "holder":
        return any((h.get("pid"), h.get("fd"), h.get("address")) == v for h in o.get("holders") or [])
    if k == "inode" and "dev" in exp and "dev" in o and o["dev"] != exp["dev"]:
        return False
    return k is not None and o.get(k) == v


def find(doc, made):
    return [o for o in doc["objects"] if o["kind"] == made["kind"] and matches(o, made)]


def describe(made):
    k, v = identity(made)
    if k in ("name_hex", "path_hex"):
        v = bytes.fromhex(v).decode("utf-8", "backslashreplace")
    return "%s %s %s" % (made["kind"], k, v)


def proc_comm(pid):
    try:
        with open("/proc/%d/comm" % pid, "rb") as f:
            return f.read().rstrip(b"\n").decode("utf-8", "surrogateescape")
    except OSError:
        return None


def proc_user(pid):
    """The user name of the process's effective uid (the number if it has no name)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            uid = int(next(l for l in f if l.startswith("Uid:")).split()[2])
    except (OSError, StopIteration):
        return None
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def holders_sorted(hs):
    """ipctop sorts by pid, then fd, then address (fds and mappings of one pid: each in order)."""
    if not all(isinstance(h.get("pid"), int) for h in hs):
        return False
    for a, b in zip(hs, hs[1:]):
        if a["pid"] > b["pid"]:
            return False
        if a["pid"] == b["pid"]:
            if a.get("fd") is not None and b.get("fd") is not None and a["fd"] > b["fd"]:
                return False
            if a.get("address") is not None and b.get("address") is not None and a["address"] > b["address"]:
                return False
    return True


def compare_holders(ident, key, got, want, subset):
    if not isinstance(got, list):
        tap(False, "%s %s is a list (ipctop: %r)" % (ident, key, got))
        return
    g, w = Counter(map(holder_key, got)), Counter(map(holder_key, want))
    missing, extra = w - g, g - w
    if subset:
        tap(not missing, "%s %s include %d expected (missing %s)" % (ident, key, len(want), sorted(missing, key=repr)))
    else:
        tap(not missing and not extra, "%s %s exactly %d as expected (missing %s, extra %s)" %
            (ident, key, len(want), sorted(missing, key=repr), sorted(extra, key=repr)))
    tap(holders_sorted(got), "%s %s sorted by pid, fd, address" % (ident, key))
    wrong = []
    for h in got:
        pid = h.get("pid")
        if not isinstance(pid, int):
            wrong.append(h)
            continue
        comm, user = proc_comm(pid), proc_user(pid)
        if comm is not None and (h.get("command") != comm or h.get("user") != user):
            wrong.append((pid, h.get("command"), h.get("user"), "is", comm, user))
    tap(not wrong, "%s %s have the command and user of their process%s" % (ident, key, " (%r)" % wrong if wrong else ""))


def compare(args):
    global todo, unjudged
    doc = load_docs(args[0])[-1]
    # ipctop judges staleness only when it could read every process's fds and maps
    unjudged = doc.get("processes_unreadable")
    for made in load_objs(args[1:]):
        exp = made["expect"]
        ident = describe(made)
        hits = find(doc, made)
        if made.get("optional") and not hits:
            print("ok - %s not reported # SKIP %s" % (ident, made["optional"]))
            continue
        todo = " # TODO %s" % made["optional"] if made.get("optional") else ""
        compare_one(made, exp, ident, hits)
        todo = ""
    return all(results)


def compare_one(made, exp, ident, hits):
    tap(len(hits) == 1, "%s reported once (found %d)" % (ident, len(hits)))
    if len(hits) != 1:
        return
    o = hits[0]
    for k, v in exp.items():
        if k == "name_hex":
            continue
        if k == "path_hex":
            got = path_bytes(o)
            tap(got == bytes.fromhex(v), "%s path is %r (ipctop: %r)" % (ident, bytes.fromhex(v), got))
        elif k in ("holders", "peer_holders") and v is not None:
            compare_holders(ident, k, o.get(k), v, made.get("holders_subset"))
        elif k == "targets":
            got = o.get(k)
            key = lambda t: t.get("fd") if isinstance(t, dict) else -1
            tap(isinstance(got, list) and sorted(got, key=key) == sorted(v, key=key),
                "%s targets = %r in any order (ipctop: %r)" % (ident, v, got))
        elif k == "watches":
            got = o.get(k)
            key = lambda w: w.get("wd", -1)
            tap(isinstance(got, list) and sorted(got, key=key) == sorted(v, key=key),
                "%s watches = %r in any order (ipctop: %r)" % (ident, v, got))
        elif k == "pending":
            got = o.get(k)
            tap(isinstance(got, list) and sorted(got) == sorted(v), "%s pending = %r in any order (ipctop: %r)" % (ident, v, got))
        else:
            tap(o.get(k, "<missing>") == v, "%s %s = %r (ipctop: %r)" % (ident, k, v, o.get(k, "<missing>")))
    for k, (lo, hi) in made.get("range", {}).items():
        v = o.get(k)
        tap(isinstance(v, int) and lo <= v <= hi, "%s %s in [%d, %d] (ipctop: %r)" % (ident, k, lo, hi, v))
    for k, want in made.get("contains", {}).items():
        got = o.get(k) or []
        tap(all(w in got for w in want), "%s %s includes %r (ipctop: %r)" % (ident, k, want, got))
    for k in made.get("nonnull", []):
        if k == "stale" and unjudged:
            print("ok - %s stale not judged # SKIP ipctop could not read %d processes" % (ident, unjudged))
            continue
        tap(o.get(k) is not None, "%s %s is not null (ipctop: %r)" % (ident, k, o.get(k, "<missing>")))
    st = o.get("stale")
    if st is not None and ("stale" in exp or "stale" in made.get("nonnull", [])):
        tap(isinstance(st, dict) and isinstance(st.get("reason"), str) and st["reason"] != ""
            and (st.get("since") is None or isinstance(st.get("since"), int)),
            "%s stale is {reason: text, since: seconds or null} (ipctop: %r)" % (ident, st))
    # names the helper did not state: derived from the ids it did
    if "uid" in exp:
        tap(o.get("owner") == pwd.getpwuid(exp["uid"]).pw_name, "%s owner is the user of uid %d" % (ident, exp["uid"]))
    if "gid" in exp:
        tap(o.get("group") == grp.getgrgid(exp["gid"]).gr_name, "%s group is the group of gid %d" % (ident, exp["gid"]))


def entry_matches(e, made):
    """An entry of a process's object list ({kind, and id, name or inode}) is this made object."""
    if e.get("kind") != made["kind"]:
        return False
    k, v = identity(made)
    if k == "holder" and "holders" in e:
        return matches(e, made)
    if k == "name_hex":
        return e.get("name") is not None and name_bytes(e) == bytes.fromhex(v)
    if k in ("id", "inode", "eventfd_id", "index"):
        return e.get(k) == v
    return None   # no key to tell it apart from others of its kind


def processes(args):
    sep = args.index("--")
    doc = load_docs(args[0])[-1]
    objs = load_objs(args[1:sep])
    procs = doc.get("processes")
    objects = doc.get("objects")
    tap(isinstance(procs, list), "top-level processes is a list")
    tap(isinstance(objects, list), "top-level objects is a list")
    if not isinstance(procs, list) or not isinstance(objects, list):
        return False
    pids = [int(spec.partition(":")[0]) for spec in args[sep + 1:]]
    # only what the pids hold: every object shown has one of them among its holders
    # (a process's own pending signals name it as their pid)
    alien = [o for o in objects if not any(h.get("pid") in pids for h in o.get("holders") or [])
             and not (o.get("kind") == "signal" and o.get("pid") in pids)]
    tap(not alien, "objects shows only what the pids hold (%d others)" % len(alien))
    for spec in args[sep + 1:]:
        pid, _, mode = spec.partition(":")
        pid = int(pid)
        entries = [p for p in procs if p.get("pid") == pid]
        tap(len(entries) == 1, "pid %d has one section (found %d)" % (pid, len(entries)))
        if len(entries) != 1:
            continue
        p = entries[0]
        tap(p.get("command") == proc_comm(pid), "pid %d command is %r (ipctop: %r)" % (pid, proc_comm(pid), p.get("command")))
        tap(p.get("user") == proc_user(pid), "pid %d user is %r (ipctop: %r)" % (pid, proc_user(pid), p.get("user")))
        # its objects: listed in its section, or else the objects it holds among those shown
        listed = p.get("objects")
        if listed is None:
            listed = [o for o in objects if any(h.get("pid") == pid for h in o.get("holders") or [])]
        if not isinstance(listed, list):
            tap(False, "pid %d objects is a list (ipctop: %r)" % (pid, listed))
            continue
        held = [m for m in objs if not m.get("optional")
                and any(h["pid"] == pid for h in m["expect"].get("holders", []))]
        for m in held:
            n = [entry_matches(e, m) for e in listed]
            if None in n:   # kinds without an identity (signalfd): one entry of the kind is enough
                tap(n.count(None) >= 1, "pid %d shows %s" % (pid, describe(m)))
            else:
                tap(n.count(True) == 1, "pid %d shows %s once (found %d)" % (pid, describe(m), n.count(True)))
        if mode == "exact":
            others = [(e.get("kind"), e.get("id", e.get("name", e.get("inode")))) for e in listed
                      if not any(entry_matches(e, m) is not False for m in held)]
            tap(not others, "pid %d shows nothing else (others: %r)" % (pid, others))
    return all(results)


def schema(args):
    for doc in load_docs(args[0]):
        tap(doc.get("schema_version") == 1, "schema_version is 1")
        for key, typ in (("time", str), ("hostname", str), ("limits", dict), ("notes", list), ("objects", list)):
            tap(isinstance(doc.get(key), typ), "top-level %s is a %s" % (key, typ.__name__))
        bad = [o for o in doc["objects"] if not all(k in o for k in ("kind", "persistence", "stale"))]
        tap(not bad, "every object has kind, persistence, stale (%d lack some)" % len(bad))
        owned = ("sysv_msg", "sysv_shm", "sysv_sem", "posix_mq", "posix_shm", "posix_sem", "fifo")
        bad = [o for o in doc["objects"] if o["kind"] in owned and not all(k in o for k in ("owner", "mode"))]
        tap(not bad, "every file or SysV object has owner and mode (%d lack some)" % len(bad))
        bad = [o for o in doc["objects"] if o["kind"] not in ("sysv_msg", "sysv_sem", "signal") and not isinstance(o.get("holders"), list)]
        tap(not bad, "every object that can be held has a holders list (%d lack it)" % len(bad))
        bad = [o for o in doc["objects"] if o["kind"].startswith("sysv") and not ("id" in o and "key" in o)]
        tap(not bad, "every SysV object has id and key")
        bad = [o for o in doc["objects"] if o["kind"].startswith("posix") and not all(k in o for k in ("name", "inode", "dev"))]
        tap(not bad, "every POSIX object has name, inode and dev")
        for name in ("msgmni", "msgmax", "msgmnb", "shmmni", "shmmax", "shmall", "semmsl", "semmns",
                     "semopm", "semmni", "mq_queues_max", "mq_msg_max", "mq_msgsize_max", "dev_shm"):
            lim = doc["limits"].get(name)
            tap(isinstance(lim, dict) and isinstance(lim.get("limit"), int), "limit %s is reported" % name)
        for n in doc["notes"]:
            tap(isinstance(n.get("source"), str) and isinstance(n.get("message"), str), "note has source and message")
    return all(results)


def read_sysctl(path):
    with open(path) as f:
        return f.read().split()


def list_mqueue():
    """Names in this IPC namespace's mqueue filesystem, mounting it privately if needed."""
    if os.path.isdir("/dev/mqueue") and os.path.ismount("/dev/mqueue"):
        return [os.fsencode(n) for n in os.listdir(b"/dev/mqueue")]
    with tempfile.TemporaryDirectory() as d:
        code = ("import os,sys,subprocess\n"
                "subprocess.run(['mount','-t','mqueue','none',sys.argv[1]],check=True)\n"
                "sys.stdout.write(' '.join(n.hex() for n in os.listdir(os.fsencode(sys.argv[1]))))\n")
        r = subprocess.run(["unshare", "-m", "--propagation", "private", sys.executable, "-c", code, d],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print("cannot list mqueue: " + r.stderr.strip(), file=sys.stderr)
            return []
        return [bytes.fromhex(h) for h in r.stdout.split()]


def leftovers(args):
    prefix = args[0].encode()
    sysv = {}
    for made in load_objs(args[1:]):
        if "id" in made["expect"]:
            sysv.setdefault(made["kind"], set()).add((made["expect"]["id"], made["expect"]["key"]))
    found = []
    for kind, path in (("sysv_msg", "/proc/sysvipc/msg"), ("sysv_shm", "/proc/sysvipc/shm"), ("sysv_sem", "/proc/sysvipc/sem")):
        with open(path) as f:
            next(f)
            for line in f:
                key, ident = int(line.split()[0]) & 0xffffffff, int(line.split()[1])
                if (ident, key) in sysv.get(kind, ()):
                    found.append("%s id %d key %#x" % (kind, ident, key))
    for n in os.listdir(b"/dev/shm"):
        if prefix in n:
            found.append("/dev/shm/%r" % n)
    for n in list_mqueue():
        if prefix in n:
            found.append("mqueue %r" % n)
    # FIFOs and bound sockets, and the helper's directory for them
    dirs = set()
    for made in load_objs(args[1:]):
        exp = made["expect"]
        if made["kind"] in ("fifo", "unix", "shared_file") and "path_hex" in exp and not exp.get("abstract"):
            path = bytes.fromhex(exp["path_hex"])
            dirs.add(os.path.dirname(path))
            if os.path.lexists(path):
                found.append("file %r" % path)
    for d in sorted(dirs):
        if os.path.lexists(d):
            found.append("directory %r" % d)
    for f in found:
        print(f)
    return True


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    ok = {"compare": compare, "processes": processes, "schema": schema, "leftovers": leftovers}[mode](rest)
    sys.exit(0 if ok else 1)
