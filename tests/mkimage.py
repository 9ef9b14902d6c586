#!/usr/bin/env python3
# mkimage.py OUT REF CONFIG LAYER.tar...: an OCI image layout at OUT (made
# or added to) holding an image named REF, whose config's "config" is the
# JSON object CONFIG and whose layers are the tars given, bottom first,
# each stored gzip'd. For tests: --truncate cuts the last layer's gzip in
# half (its digest is then of the cut blob, so only gunzip can tell);
# --corrupt flips a byte of its gzip header (its mtime: gunzip does not
# mind) after its digest is taken; --zstd stores the layers with zstd(1)
# instead; --claim gives the last layer the first one's diff_id.
# --docker and --legacy write docker save's archive instead, REF its
# RepoTag: OUT is the archive's tree (made or added to), OUT.tar the
# archive. --docker as docker save writes since 25 (moby's
# image/tarexport): the layers plain in blobs/sha256, where manifest.json
# points, and an OCI layout of the same blobs beside it, whose index names
# the image by containerd's annotation, and by the tag alone as its ref.
# --legacy as before 25: <id>/layer.tar, a layer that is there already
# linked to as ../<id>/layer.tar.
import gzip, hashlib, json, os, platform, subprocess, sys, tarfile

args = sys.argv[1:]
flags = ("--truncate", "--corrupt", "--zstd", "--claim", "--docker", "--legacy")
truncate, corrupt, zstd, claim, docker, legacy = (f in args for f in flags)
args = [a for a in args if a not in flags]
out, ref, config, layers = args[0], args[1], json.loads(args[2]), args[3:]
arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
os.makedirs(out, exist_ok=True)

def write(name, data):
    os.makedirs(os.path.dirname(os.path.join(out, name)), exist_ok=True)
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

def load(name, empty):
    path = os.path.join(out, name)
    return json.load(open(path)) if os.path.exists(path) else empty

def put(data, flip=False):
    h = hashlib.sha256(data).hexdigest()
    if flip:
        data = data[:4] + bytes([data[4] ^ 0x40]) + data[5:]
    write("blobs/sha256/" + h, data)
    return "sha256:" + h, len(data)

def image_config(diffs):
    return json.dumps({"created": "2026-01-02T03:04:05Z", "architecture": arch,
                       "os": "linux", "config": config,
                       "rootfs": {"type": "layers", "diff_ids": diffs}}).encode()

def add_to_layout(descs, cfg, annotations, platform=None):
    cd, cn = put(cfg)
    man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                      "digest": cd, "size": cn}, "layers": descs}
    md, mn = put(json.dumps(man).encode())
    write("oci-layout", b'{"imageLayoutVersion": "1.0.0"}')
    index = load("index.json", {"schemaVersion": 2, "manifests": []})
    desc = {"mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": md, "size": mn, "annotations": annotations}
    if platform:
        index["mediaType"] = "application/vnd.oci.image.index.v1+json"
        desc["platform"] = platform
    index["manifests"].append(desc)
    write("index.json", json.dumps(index).encode())

def oci():
    diffs, descs = [], []
    for i, path in enumerate(layers):
        raw = open(path, "rb").read()
        diffs.append("sha256:" + hashlib.sha256(raw).hexdigest())
        gz = gzip.compress(raw, mtime=0)
        if zstd:
            gz = subprocess.run(["zstd", "-q", "-c"], input=raw, stdout=subprocess.PIPE,
                                check=True).stdout
        if truncate and i == len(layers) - 1:
            gz = gz[: len(gz) // 2]
        d, n = put(gz, corrupt and i == len(layers) - 1)
        descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                      "digest": d, "size": n})
    if claim:
        diffs[-1] = diffs[0]
    add_to_layout(descs, image_config(diffs), {"org.opencontainers.image.ref.name": ref})

def docker_name(ref):
    first = ref.split("/")[0]
    if "/" in ref and ("." in first or ":" in first or first == "localhost"):
        return ref
    return "docker.io/" + ("" if "/" in ref else "library/") + ref

def docker_layers(raws, diffs):
    """each layer's path in the archive: written, linked, or there already"""
    seen, paths, parent = {}, [], ""
    for item in load("manifest.json", []):
        ids = json.load(open(os.path.join(out, item["Config"])))["rootfs"]["diff_ids"]
        for d, p in zip(ids, item["Layers"]):
            seen.setdefault(d, p)
    for raw, d in zip(raws, diffs):
        if legacy:
            parent = hashlib.sha256((parent + d).encode()).hexdigest()
            p = parent + "/layer.tar"
            write(parent + "/VERSION", b"1.0")
            write(parent + "/json", json.dumps({"id": parent}).encode())
            if d in seen and not os.path.lexists(os.path.join(out, p)):
                os.symlink(os.path.relpath(seen[d], parent), os.path.join(out, p))
            elif d not in seen:
                write(p, raw)
        else:
            p = put(raw)[0].replace("sha256:", "blobs/sha256/")
        seen.setdefault(d, p)
        paths.append(p)
    return paths

def docker_save():
    raws = [open(p, "rb").read() for p in layers]
    diffs = ["sha256:" + hashlib.sha256(r).hexdigest() for r in raws]
    cfg, paths = image_config(diffs), docker_layers(raws, diffs)
    cpath = hashlib.sha256(cfg).hexdigest() + ".json"
    cpath = cpath if legacy else put(cfg)[0].replace("sha256:", "blobs/sha256/")
    write(cpath, cfg)
    items = load("manifest.json", [])
    items.append({"Config": cpath, "RepoTags": [ref], "Layers": paths})
    write("manifest.json", json.dumps(items).encode())
    name, tag = ref.rsplit(":", 1)
    repos = load("repositories", {})
    repos.setdefault(name, {})[tag] = paths[-1].split("/")[-2 if legacy else -1]
    write("repositories", json.dumps(repos).encode())
    if not legacy:
        add_to_layout([{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                        "digest": d, "size": len(r)} for r, d in zip(raws, diffs)],
                      cfg, {"io.containerd.image.name": docker_name(ref),
                            "org.opencontainers.image.ref.name": tag},
                      {"architecture": arch, "os": "linux"})
    with tarfile.open(out + ".tar", "w") as t:
        for f in sorted(os.listdir(out)):
            t.add(os.path.join(out, f), arcname=f)

docker_save() if docker or legacy else oci()
