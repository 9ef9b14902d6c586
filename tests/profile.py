#!/usr/bin/env python3
# profile.py: tests/profile.sh's helper for the seccomp profile compiler.
#   podman SRC   podman's seccomp.json (containers-common's, for engines)
#                as the linux.seccomp podman writes in a default
#                container's config.json on x86_64: its architectures, and
#                the rules its default capabilities keep
#   model BLOCKS SYSCALLS_H N SEED   N random profiles, each compiled by
#                BLOCKS (blocks profile -d) and its program run here on
#                calls of every ABI, against what profile.h says they
#                get; prints each call that differs
#   kernel BLOCKS SYSCALLS_H N SEED [AS...]   N random profiles on getuid,
#                each run by the kernel (blocks profile FILE call), as the
#                user AS gives, against the same; prints each that differs
#                (NO_I386=1: not i386's, on a kernel without them)
# The model reads the names' numbers from SYSCALLS_H, which make made
# from the kernel headers: the shell tests check some of them.
import json, os, random, re, struct, subprocess, sys, tempfile

X86_64, I386, AARCH64, X32 = 0xC000003E, 0x40000003, 0xC00000B7, 0x40000000
KILLP, KILLT, TRAP, ERRNO, TRACE, LOG, ALLOW = (0x80000000, 0, 0x30000,
    0x50000, 0x7FF00000, 0x7FFC0000, 0x7FFF0000)
ACT = {"SCMP_ACT_KILL": KILLT, "SCMP_ACT_KILL_THREAD": KILLT,
       "SCMP_ACT_KILL_PROCESS": KILLP, "SCMP_ACT_TRAP": TRAP,
       "SCMP_ACT_ERRNO": ERRNO, "SCMP_ACT_TRACE": TRACE,
       "SCMP_ACT_ALLOW": ALLOW, "SCMP_ACT_LOG": LOG}
OPS = {"SCMP_CMP_NE": lambda x, v, w: x != v, "SCMP_CMP_LT": lambda x, v, w: x < v,
       "SCMP_CMP_LE": lambda x, v, w: x <= v, "SCMP_CMP_EQ": lambda x, v, w: x == v,
       "SCMP_CMP_GE": lambda x, v, w: x >= v, "SCMP_CMP_GT": lambda x, v, w: x > v,
       "SCMP_CMP_MASKED_EQ": lambda x, v, w: x & v == w & v}
# i386's calls through socketcall(2) and ipc(2), and their numbers there
MUX = [(n, "socketcall", i + 1) for i, n in enumerate(
    "socket bind connect listen accept getsockname getpeername socketpair send "
    "recv sendto recvfrom shutdown setsockopt getsockopt sendmsg recvmsg accept4 "
    "recvmmsg sendmmsg".split())] + [(n, "ipc", c) for n, c in zip(
    "semop semget semctl semtimedop msgsnd msgrcv msgget msgctl shmat shmdt "
    "shmget shmctl".split(), [1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24])]
VALS = [0, 1, 2, 3, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF, 1 << 32,
        (1 << 32) + 1, 0x1FFFFFFFF, 0xFFFFFFFF00000000, (1 << 64) - 1]

def podman(src):
    caps = {"CAP_" + c for c in "CHOWN DAC_OVERRIDE FOWNER FSETID KILL "
            "NET_BIND_SERVICE SETFCAP SETGID SETPCAP SETUID SYS_CHROOT".split()}
    d = json.load(open(src))
    arch = [a for a in d["archMap"] if a["architecture"] == "SCMP_ARCH_X86_64"][0]
    out = {"defaultAction": d["defaultAction"], "defaultErrnoRet": d.get("defaultErrnoRet"),
           "architectures": [arch["architecture"]] + arch["subArchitectures"],
           "syscalls": []}
    for s in d["syscalls"]:
        inc, exc = s.get("includes") or {}, s.get("excludes") or {}
        if (inc.get("arches") and "amd64" not in inc["arches"] or
                not caps >= set(inc.get("caps", [])) or caps & set(exc.get("caps", []))):
            continue
        r = {"names": s["names"], "action": s["action"]}
        if s.get("args"): r["args"] = s["args"]
        if s.get("errnoRet"): r["errnoRet"] = s["errnoRet"]
        out["syscalls"].append(r)
    json.dump({"linux": {"seccomp": out}}, sys.stdout)

def tables(path):
    text = open(path).read()
    abis = re.search(r"sysabi\[\] = \{(.*)\};", text).group(1)
    col = {a.strip(' "'): i for i, a in enumerate(abis.split(",")) if a.strip()}
    nr = {m.group(1): [int(x) for x in m.group(2).split(",")]
          for m in re.finditer(r'\{ "(\w+)", \{ ([\d, ]+) \} \}', text)}
    return col, nr

def ret(o, key, errkey):
    r = ACT[o[key]]
    return r | o.get(errkey, 1) if r in (ERRNO, TRACE) else r

def holds(rule, args, bits):
    cut = (1 << bits) - 1
    def one(c):
        return OPS[c["op"]](args[c["index"]] & cut, c["value"] & cut, c.get("valueTwo", 0) & cut)
    idx = [c["index"] for c in rule["args"]]
    # an argument named twice: each condition a rule of its own
    return (any if len(set(idx)) != len(idx) else all)(one(c) for c in rule["args"])

def model(p, col, nr, audit, n, args):
    """what profile.h says call n of arch audit gets"""
    sel = {a for a in p.get("architectures") or [] if a in col} | {"SCMP_ARCH_X86_64"}
    d = ret(p, "defaultAction", "defaultErrnoRet")
    if audit == X86_64 and n >= X32 and "SCMP_ARCH_X32" in sel:
        abi, n = "SCMP_ARCH_X32", n - X32
    elif audit == X86_64 and n >= X32:
        return d if n == 0xFFFFFFFF else KILLP
    elif audit == X86_64:
        abi = "SCMP_ARCH_X86_64"
    elif audit == I386 and "SCMP_ARCH_X86" in sel:
        abi = "SCMP_ARCH_X86"
    else:
        return KILLP
    c, bits = col[abi], 64 if abi == "SCMP_ARCH_X86_64" else 32
    hits = []
    for i, r in enumerate(p.get("syscalls") or []):
        if ret(r, "action", "errnoRet") == d: continue
        if any(nr.get(s, [65535] * 9)[c] == n for s in r["names"]):
            hits.append((i, 0, r))
        for k, (s, via, call) in enumerate(MUX):
            if (abi == "SCMP_ARCH_X86" and not r.get("args") and s in r["names"]
                    and nr[via][c] == n):
                hits.append((i, k + 1, r))
    hits.sort(key=lambda h: h[:2])
    for i, k, r in hits:
        if not k and not r.get("args"): return ret(r, "action", "errnoRet")
    for i, k, r in hits:
        if (holds(r, args, bits) if not k else
                args[0] & (0xFFFF if MUX[k - 1][1] == "ipc" else cut32) == MUX[k - 1][2]):
            return ret(r, "action", "errnoRet")
    return d
cut32 = 0xFFFFFFFF

def program(blocks, path):
    out = subprocess.run([blocks, "profile", "-d", path], capture_output=True,
                         text=True, check=True).stdout.split("\n")[1:]
    return [tuple(int(x, 16) if i in (0, 3) else int(x) for i, x in enumerate(l.split()))
            for l in out if l]

def run(prog, audit, n, args):
    """classic BPF, as the kernel runs it on a seccomp_data"""
    data = struct.pack("<IIQ6Q", n, audit, 0, *args)
    pc = a = 0
    while True:
        code, jt, jf, k = prog[pc]
        pc += 1
        if code == 0x20: a = struct.unpack_from("<I", data, k)[0]
        elif code == 0x54: a &= k
        elif code == 0x06: return k
        elif code == 0x05: pc += k
        elif code in (0x15, 0x25, 0x35):
            pc += jt if {0x15: a == k, 0x25: a > k, 0x35: a >= k}[code] else jf
        else: raise ValueError("unexpected instruction %#x" % code)

def action(o, key, errkey):
    o[key] = random.choice(list(ACT))
    if o[key] in ("SCMP_ACT_ERRNO", "SCMP_ACT_TRACE") and random.random() < .7:
        o[errkey] = random.choice([0, 1, 13, 38, 4096, 65535])

def profile(pool, nrules, maxargs, big):
    p = {}
    action(p, "defaultAction", "defaultErrnoRet")
    p["architectures"] = random.sample(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86",
        "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64"], random.randint(0, 3))
    p["syscalls"] = []
    for i in range(random.randint(0, nrules)):
        r = {"names": random.sample(pool, random.randint(1, min(len(pool),
             300 if big and random.random() < .3 else 4)))}
        action(r, "action", "errnoRet")
        if random.random() < .6 and len(r["names"]) < 10:
            r["args"] = [{"index": random.randint(0, maxargs), "value": random.choice(VALS),
                          "op": random.choice(list(OPS))} for _ in range(random.randint(1, 3))]
            for c in r["args"]:
                if random.random() < .5: c["valueTwo"] = random.choice(VALS)
        p["syscalls"].append(r)
    return p

def arguments(p, cut):
    """six arguments, often a value the profile compares with"""
    near = [c[k] for r in p["syscalls"] for c in r.get("args", [])
            for k in ("value", "valueTwo") if k in c] or VALS
    return [random.choice(near if random.random() < .5 else VALS) & cut
            for _ in range(6)]

def models(blocks, hdr, n, tmp):
    col, nr = tables(hdr)
    bad, names = 0, sorted(nr)
    for t in range(n):
        big = t % 5 == 0
        pool = (random.sample(names, 400 if big else 12) + ["no_such_call"] +
                random.sample([m[0] for m in MUX] + ["socketcall", "ipc"], 3))
        p = profile(pool, 25, 2, big)
        json.dump({"linux": {"seccomp": p}}, open(tmp, "w"))
        prog = program(blocks, tmp)
        for k in range(300):
            audit = random.choice([X86_64, X86_64, X86_64, I386, I386, AARCH64, 0x1234])
            s = random.choice(pool)
            n = nr[s][random.choice(list(col.values()))] if s in nr else 1
            n = random.randint(0, 500) if n == 65535 else n
            n |= X32 if random.random() < .2 else 0
            n = 0xFFFFFFFF if random.random() < .02 else n
            if audit == I386 and random.random() < .4: n = random.choice([102, 117])
            args = arguments(p, (1 << 64) - 1)
            if random.random() < .3: args[0] = random.choice([1, 2, 13, 0x10002, 24])
            want, got = model(p, col, nr, audit, n, args), run(prog, audit, n, args)
            if want != got:
                bad += 1
                print("profile %s: arch %#x call %#x%s: %#x, not %#x" % (json.dumps(p)
                      if bad < 3 else "...", audit, n, args, got, want))
    return bad

def kernels(blocks, hdr, n, tmp, user):
    """random rules on getuid, the kernel running them"""
    col, nr = tables(hdr)
    uid = subprocess.run(user + ["id", "-u"], capture_output=True, text=True).stdout.strip()
    out = {"names": ["write", "exit_group", "exit"], "action": "SCMP_ACT_ALLOW"}
    bad = 0
    for t in range(n):
        p = profile(["getuid", "getuid32"], 4, 4, False)
        p["syscalls"].insert(0, out)
        json.dump({"linux": {"seccomp": p}}, open(tmp, "w"))
        for abi, flag, audit in (("SCMP_ARCH_X86_64", [], X86_64),
                                 ("SCMP_ARCH_X86", ["-32"], I386), ("SCMP_ARCH_X32", ["-x32"], X86_64)):
            if abi == "SCMP_ARCH_X86" and os.environ.get("NO_I386"): continue
            call = nr["getuid32" if abi == "SCMP_ARCH_X86" else "getuid"][col[abi]]
            n = call | (X32 if abi == "SCMP_ARCH_X32" else 0)
            args = arguments(p, cut32 if flag else (1 << 64) - 1)[:5] + [0]
            v = model(p, col, nr, audit, n, args)
            want = {ALLOW: ["= " + uid], LOG: ["= " + uid], TRAP: ["SIGSYS %d" % n],
                    KILLP: [159], KILLT: [159]}.get(v & 0xFFFF0000 if v & 0xFFFF0000 in
                    (ERRNO, TRACE) else v)
            if v & 0xFFFF0000 == ERRNO:
                want = ["= 0" if not v & 0xFFFF else "errno %d" % min(v & 0xFFFF, 4095)]
            if v & 0xFFFF0000 == TRACE: want = ["errno 38"]
            if abi == "SCMP_ARCH_X32" and v in (ALLOW, LOG):
                want.append("errno 38")  # a kernel without x32
            r = subprocess.run(user + ["timeout", "10", blocks, "profile", tmp, "call"] +
                               flag + [str(call)] + [str(a) for a in args[:5]],
                               capture_output=True, text=True)
            got = r.stdout.strip() if r.returncode == 0 else 128 - r.returncode \
                if r.returncode < 0 else r.returncode
            if got not in want:
                bad += 1
                print("profile %s: %s getuid%s: %s, not %s" % (json.dumps(p), abi, args, got, want))
    return bad

if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "podman":
        podman(a[1])
        sys.exit(0)
    random.seed(int(a[4]))
    with tempfile.TemporaryDirectory() as d:
        tmp = os.path.join(d, "p.json")
        os.chmod(d, 0o755)
        bad = (models(a[1], a[2], int(a[3]), tmp) if a[0] == "model" else
               kernels(a[1], a[2], int(a[3]), tmp, a[5:]))
    sys.exit(1 if bad else 0)
