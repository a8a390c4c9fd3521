#!/usr/bin/env python3
"""Checks for the shell tests.

compare IPCTOP_JSON OBJS...   every object the helper made (OBJS: its JSON lines) is in
                              ipctop's JSON exactly once, with every expected field; TAP out.
leftovers PREFIX OBJS...      print objects of ours still present (reads the kernel directly).
schema IPCTOP_JSON            the document has the documented shape; TAP out.
"""
import json
import os
import pwd
import grp
import subprocess
import sys
import tempfile

results = []


def tap(ok, desc):
    results.append(ok)
    print(("ok - " if ok else "not ok - ") + desc)


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


def find(doc, made):
    exp = made["expect"]
    hits = [o for o in doc["objects"] if o["kind"] == made["kind"]]
    if "id" in exp:
        hits = [o for o in hits if o.get("id") == exp["id"]]
    else:
        want = bytes.fromhex(exp["name_hex"])
        hits = [o for o in hits if o.get("name") is not None and name_bytes(o) == want]
    return hits


def compare(args):
    doc = load_docs(args[0])[-1]
    for made in load_objs(args[1:]):
        exp = made["expect"]
        ident = "%s %s" % (made["kind"], exp.get("id", exp.get("name_hex")))
        hits = find(doc, made)
        tap(len(hits) == 1, "%s reported once (found %d)" % (ident, len(hits)))
        if len(hits) != 1:
            continue
        o = hits[0]
        for k, v in exp.items():
            if k == "name_hex":
                continue
            tap(o.get(k, "<missing>") == v, "%s %s = %r (ipctop: %r)" % (ident, k, v, o.get(k, "<missing>")))
        for k, (lo, hi) in made.get("range", {}).items():
            v = o.get(k)
            tap(isinstance(v, int) and lo <= v <= hi, "%s %s in [%d, %d] (ipctop: %r)" % (ident, k, lo, hi, v))
        # names the helper did not state: derived from the ids it did
        tap(o["owner"] == pwd.getpwuid(exp["uid"]).pw_name, "%s owner is the user of uid %d" % (ident, exp["uid"]))
        tap(o["group"] == grp.getgrgid(exp["gid"]).gr_name, "%s group is the group of gid %d" % (ident, exp["gid"]))
    return all(results)


def schema(args):
    for doc in load_docs(args[0]):
        tap(doc.get("schema_version") == 1, "schema_version is 1")
        for key, typ in (("time", str), ("hostname", str), ("limits", dict), ("notes", list), ("objects", list)):
            tap(isinstance(doc.get(key), typ), "top-level %s is a %s" % (key, typ.__name__))
        bad = [o for o in doc["objects"] if not all(k in o for k in ("kind", "owner", "mode", "persistence"))]
        tap(not bad, "every object has kind, owner, mode, persistence (%d lack some)" % len(bad))
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
    for f in found:
        print(f)
    return True


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    ok = {"compare": compare, "schema": schema, "leftovers": leftovers}[mode](rest)
    sys.exit(0 if ok else 1)
