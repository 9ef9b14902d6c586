#!/usr/bin/env python3
# mkimage.py OUT REF CONFIG LAYER.tar...: an OCI image layout at OUT (made
# or added to) holding an image named REF, whose config's "config" is the
# JSON object CONFIG and whose layers are the tars given, bottom first,
# each stored gzip'd. For tests: --truncate cuts the last layer's gzip in
# half (its digest is then of the cut blob, so only gunzip can tell);
# --corrupt flips a byte of its gzip header (its mtime: gunzip does not
# mind) after its digest is taken; --zstd stores the layers with zstd(1)
# instead; --claim gives the last layer the first one's diff_id.
import gzip, hashlib, json, os, subprocess, sys

args = sys.argv[1:]
truncate, corrupt = "--truncate" in args, "--corrupt" in args
zstd, claim = "--zstd" in args, "--claim" in args
args = [a for a in args if a not in ("--truncate", "--corrupt", "--zstd", "--claim")]
out, ref, config, layers = args[0], args[1], json.loads(args[2]), args[3:]
blobs = os.path.join(out, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)

def put(data, flip=False):
    h = hashlib.sha256(data).hexdigest()
    if flip:
        data = data[:4] + bytes([data[4] ^ 0x40]) + data[5:]
    with open(os.path.join(blobs, h), "wb") as f:
        f.write(data)
    return "sha256:" + h, len(data)

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
cfg = {"created": "2026-01-02T03:04:05Z", "architecture": "amd64", "os": "linux",
       "config": config, "rootfs": {"type": "layers", "diff_ids": diffs}}
cd, cn = put(json.dumps(cfg).encode())
man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                  "digest": cd, "size": cn}, "layers": descs}
md, mn = put(json.dumps(man).encode())
with open(os.path.join(out, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
idx = os.path.join(out, "index.json")
index = json.load(open(idx)) if os.path.exists(idx) else {"schemaVersion": 2, "manifests": []}
index["manifests"].append({"mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "digest": md, "size": mn,
                           "annotations": {"org.opencontainers.image.ref.name": ref}})
with open(idx, "w") as f:
    json.dump(index, f)
