# Images: sbx -i, import, images, rmi, prune, with images built offline by
# umoci, skopeo and podman, and crafted ones (tests/mkimage.py) for
# whiteouts, broken blobs and docker save's archives. As the user in $AS,
# each with a store of its own.
# Needs: SBX, R, TMP, the harness.

# per build (the sanitizer build's init needs its libraries in the image)
# and, for the store, per user
ST=${R%/rootfs}/store$($AS id -u)
img() { $AS env XDG_DATA_HOME="$ST" "$SBX" "$@"; }
I=${R%/rootfs}/images
layers() { ls "$ST/sbx/layers" 2>/dev/null | grep -cE '^[0-9a-f]{64}$'; }

# podman as root, with a storage, a config and a tmp of its own, in a
# mount namespace where /var/lib and /run are tmpfs: whatever --root
# says, root's podman keeps a cache in /var/lib/containers and its
# network state in /run; and nothing it mounts outlives it
pod() {
	CONTAINERS_CONF=$I/podman/containers.conf CONTAINERS_REGISTRIES_CONF=/dev/null \
		CONTAINERS_STORAGE_CONF=$I/podman/storage.conf TMPDIR=$I/podman/tmp \
		unshare -m sh -c 'mount -t tmpfs tmpfs /var/lib && mount -t tmpfs tmpfs /run && exec podman "$@"' sh "$@"
}

# podman's import of the umoci base's layer, with a config by --change,
# and podman's saves of it: a docker archive, an OCI archive, and a
# docker archive of two images
mkpodman() {
	mkdir -p podman/tmp && printf '[storage]\ndriver = "vfs"\ngraphroot = "%s"\nrunroot = "%s"\n' \
		"$I/podman/root" "$I/podman/run" > podman/storage.conf &&
		printf '[engine]\nevents_logger = "none"\n[network]\nnetwork_config_dir = "%s"\n' \
		"$I/podman/net" > podman/containers.conf || return 1
	layer=$(python3 -c 'import json
blob = lambda d: "base/blobs/sha256/" + d.split(":")[1]
m = json.load(open(blob(json.load(open("base/index.json"))["manifests"][0]["digest"])))
print(blob(m["layers"][0]["digest"]))') || return 1
	pod import -q --change 'ENTRYPOINT ["/bin/sh", "-c"]' \
		--change 'CMD ["echo from $A in $PWD as $(id -u):$(id -g)"]' \
		--change 'ENV A=podman' --change 'WORKDIR /etc' --change 'USER app' \
		"$layer" localhost/pod:v1 >/dev/null &&
		pod import -q --change 'CMD ["/bin/echo", "two"]' "$layer" localhost/pod:v2 >/dev/null &&
		pod save -q --format docker-archive -o pod-docker.tar localhost/pod:v1 &&
		pod save -q --format oci-archive -o pod-oci.tar localhost/pod:v1 &&
		pod save -q -m --format docker-archive -o pod-multi.tar localhost/pod:v1 localhost/pod:v2 &&
		rm -rf podman
}

# the images, once for both users: a base from the test rootfs by umoci,
# its archives by skopeo and podman, and layers made here
mkimages() {
	mkdir -p "$I" && cd "$I" || return 1
	umoci init --layout base && umoci new --image base:latest &&
		umoci unpack --rootless --image base:latest b >/dev/null &&
		cp -a "$R/." b/rootfs/ &&
		printf 'root:x:0:0::/root:/bin/sh\napp:x:1234:2345::/:/bin/sh\n' > b/rootfs/etc/passwd &&
		printf 'root:x:0:\napp:x:2345:\nstaff:x:50:\n' > b/rootfs/etc/group &&
		umoci repack --image base:latest b &&
		umoci config --image base:latest --config.entrypoint /bin/sh \
			--config.cmd -c --config.cmd 'echo "from $A in $PWD as $(id -u):$(id -g)"' \
			--config.env A=image --config.workingdir /etc --config.user app &&
		skopeo copy -q oci:base:latest oci-archive:base-oci.tar:base &&
		skopeo copy -q oci:base:latest docker-archive:base-docker.tar:example/base:v1 || return 1
	if command -v podman >/dev/null; then mkpodman || return 1; fi
	# a top layer that deletes, hides and links, over the same base
	mkdir -p l1/data l1/keep l2/data l2/keep l3/data l3/keep &&
		echo a > l1/data/a && echo b > l1/data/b && echo x > l1/keep/x &&
		ln l1/data/a l1/data/h && ln -s a l1/data/s &&
		touch l2/data/.wh.b l2/keep/.wh..wh..opq && echo y > l2/keep/y &&
		tar -C l1 -cf l1.tar . && tar -C l2 -cf l2.tar . &&
		mkdir -p l4/etc && echo changed > l4/etc/motd && tar -C l4 -cf l4.tar . &&
		mkdir -p l5 l6 && echo 5 > l5/five && echo 6 > l6/six &&
		tar -C l5 -cf l5.tar . && tar -C l6 -cf l6.tar . &&
		mkdir -p l7/etc && touch l7/etc/.wh..wh..opq && echo 7 > l7/etc/motd &&
		tar -C l7 -cf l7.tar . &&
		tar -C b/rootfs -cf base.tar . || return 1
	python3 "$OLDPWD/tests/mkimage.py" three three '{"Cmd":["/bin/sh"]}' base.tar l1.tar l2.tar &&
		python3 "$OLDPWD/tests/mkimage.py" shared shared '{"Cmd":["/bin/sh"]}' base.tar l4.tar &&
		python3 "$OLDPWD/tests/mkimage.py" cut cut '{}' base.tar l6.tar --truncate &&
		python3 "$OLDPWD/tests/mkimage.py" bad bad '{}' base.tar l5.tar --corrupt || return 1
	python3 - <<'PY' || return 1
import io, tarfile
t = tarfile.open("evil.tar", "w")
for name in ("ok", "../escaped"):
    i = tarfile.TarInfo(name); i.size = 1
    t.addfile(i, io.BytesIO(b"x"))
t.close()
PY
	python3 "$OLDPWD/tests/mkimage.py" evil evil '{}' base.tar evil.tar &&
		python3 "$OLDPWD/tests/mkimage.py" stop stop '{"StopSignal":"SIGUSR1"}' base.tar &&
		python3 "$OLDPWD/tests/mkimage.py" opaque opaque '{"User":"app","Cmd":["/bin/sh"]}' base.tar l7.tar &&
		python3 "$OLDPWD/tests/mkimage.py" claim claim '{}' base.tar l5.tar --claim &&
		python3 "$OLDPWD/tests/mkimage.py" hijack example/base:v1 '{"Cmd":["/bin/echo","HIJACKED"]}' base.tar &&
		python3 "$OLDPWD/tests/mkimage.py" multi one '{}' l5.tar &&
		python3 "$OLDPWD/tests/mkimage.py" multi two '{}' l6.tar &&
		python3 "$OLDPWD/tests/mkimage.py" zstd zstd '{}' l5.tar --zstd &&
		python3 "$OLDPWD/tests/mkimage.py" d25 alpine:3.19 '{"Cmd":["/bin/cat","/five"]}' \
			base.tar l5.tar --docker &&
		gzip -c d25.tar > d25.tar.gz && head -c 3000 d25.tar.gz > d25-cut.tar.gz &&
		zstd -q -c d25.tar > d25.tar.zst &&
		python3 "$OLDPWD/tests/mkimage.py" legacy example/five:v1 '{}' base.tar l5.tar --legacy &&
		python3 "$OLDPWD/tests/mkimage.py" legacy example/six:v1 '{}' base.tar l6.tar l5.tar --legacy &&
		link=$(python3 -c 'import json; print(json.load(open("legacy/manifest.json"))[1]["Layers"][2])') &&
		[ -L "legacy/$link" ] && cp -a legacy outside && ln -sfn "$I/legacy/$(readlink "legacy/$link" |
			cut -d/ -f2-)" "outside/$link" && [ -f "outside/$link" ] && tar -C outside -cf outside.tar . &&
		for f in zstd/blobs/sha256/*; do
			[ "$(head -c4 "$f" | od -An -tx1 | tr -d ' ')" = 28b52ffd ] &&
				basename "$f" | cut -c1-12 > zstd.digest
		done; [ -s zstd.digest ] &&
		chmod -R a+rX "$I" && cd "$OLDPWD"
}

if ! command -v umoci >/dev/null || ! command -v skopeo >/dev/null; then
	skip "images" "no umoci or skopeo (apt-get install umoci skopeo)"
elif [ ! -d "$I" ] && ! (mkimages) >"$TMP/mkimages.log" 2>&1; then
	fail "images: building the test images" "$(tail -5 "$TMP/mkimages.log")"
else
	rm -rf "$ST" && mkdir -p "$ST" && chown "$($AS id -u)" "$ST"
	t "-i oci:DIR:REF: the image's Entrypoint, Cmd, Env, WorkingDir and User" 0 \
		"from image in /etc as 1234:2345" img -i "oci:$I/base:latest"
	t "-i: the command line's -e, -w, -u and -g win" 0 "from mine in / as 0:50" \
		img -e A=mine -w / -u 0 -g 50 -i "oci:$I/base:latest"
	t "-i: a command replaces Cmd, after the Entrypoint" 0 "args" \
		img -i "oci:$I/base:latest" -- -c 'echo args'
	t "-i: --entrypoint replaces the Entrypoint (and Cmd)" 0 "ep" \
		img -i "oci:$I/base:latest" --entrypoint /bin/echo -- ep
	t "-i: the image's Env replaces ours, as docker run's does" 0 "[]" \
		$AS env XDG_DATA_HOME="$ST" MINE=1 "$SBX" -i "oci:$I/base:latest" --entrypoint /bin/sh -- -c 'echo "[$MINE]"'
	t "images: -i of a path names nothing: the image is listed as <none>" 0 "<none> <none>" \
		sh -c "$AS env XDG_DATA_HOME='$ST' '$SBX' images | awk 'NR > 1 { print \$1, \$2 }'"
	t "import: skopeo's oci-archive, named by its ref" 0 "" \
		sh -c "$AS env XDG_DATA_HOME='$ST' '$SBX' import '$I/base-oci.tar' >/dev/null"
	t "import: skopeo's docker-archive, named by its RepoTags" 0 "" \
		sh -c "$AS env XDG_DATA_HOME='$ST' '$SBX' import 'docker-archive:$I/base-docker.tar' >/dev/null"
	t "-i NAME:TAG: from the store, as docker names it (docker.io/...)" 0 \
		"from image in /etc as 1234:2345" img -i example/base:v1
	t "import: the same image three times: one layer in the store" 0 "1" layers
	t "images --json: name, tag, id, size, created" 0 \
		"base latest docker.io/example/base v1" sh -c \
		"$AS env XDG_DATA_HOME='$ST' '$SBX' images --json | python3 -c 'import json,sys; print(*sorted(x[\"name\"]+\" \"+x[\"tag\"] for x in json.load(sys.stdin) if x[\"size\"] > 0 and len(x[\"id\"]) == 64 and x[\"created\"]))'"
	t "-i: a whiteout deletes, an opaque directory hides, links are kept; no marker shows" 0 \
		"a h s y a a" img -i "oci:$I/three:three" -- /bin/sh -c \
		'cd /data && echo $(ls -A) $(ls -A /keep) $(cat h) $(cat s)'
	before=$(layers)
	t "-i: two images that share a base share its layer" 0 "$((before + 1))" sh -c \
		"$AS env XDG_DATA_HOME='$ST' '$SBX' -i 'oci:$I/shared:shared' -- cat /etc/motd >/dev/null && ls '$ST/sbx/layers' | grep -cE '^[0-9a-f]{64}\$'"
	t "-i: a write inside reaches neither the layer nor the next run" 0 "root:x:0:0::/root:/bin/sh" \
		sh -c "$AS env XDG_DATA_HOME='$ST' '$SBX' -i example/base:v1 --entrypoint /bin/sh -- -c 'echo gone > /etc/passwd' &&
			$AS env XDG_DATA_HOME='$ST' '$SBX' -i example/base:v1 --entrypoint /bin/head -- -1 /etc/passwd"
	t "-i -R: the image's root read-only" 1 "" \
		img -i example/base:v1 -R --entrypoint /bin/sh -- -c 'touch /x 2>/dev/null'
	before=$(layers)
	out=$(img import "oci:$I/bad:bad" 2>&1); rc=$?
	t "import: a corrupted blob: one line, 125, naming it" 0 "125 1 the blob's sha256" \
		echo "$rc $(printf '%s\n' "$out" | wc -l) $(printf '%s' "$out" | grep -o "the blob's sha256")"
	t "import: ... and nothing stored" 0 "$before" sh -c "echo $(layers) \$(ls -A '$ST/sbx/tmp')"
	t "import: a truncated gzip: one line, 125, nothing stored" 0 "125 $before" sh -c \
		"$AS env XDG_DATA_HOME='$ST' '$SBX' import 'oci:$I/cut:cut' >/dev/null 2>&1; echo \$? $(layers) \$(ls -A '$ST/sbx/tmp')"
	t "import: a layer with ../escaped: refused, nothing outside" 0 "125 no" sh -c \
		"$AS env XDG_DATA_HOME='$ST' '$SBX' import 'oci:$I/evil:evil' >/dev/null 2>&1; echo \$? \$(ls '$ST/sbx/escaped' '$ST/sbx/tmp/escaped' 2>/dev/null || echo no)"
	O=${R%/rootfs}/out$($AS id -u)
	rm -rf "$O" && mkdir -p "$O" && chown "$($AS id -u)" "$O"
	t "-i: User is looked up in the image's own /etc, which an opaque /etc of a top layer hides" 125 \
		"sbx: image: oci:$I/opaque:opaque: User 'app': not in the image's /etc/passwd" \
		img -i "oci:$I/opaque:opaque" true
	t "-i: StopSignal is what sbx stop sends" 0 "USR1 0" sh -c \
		"$AS env XDG_DATA_HOME='$ST' XDG_RUNTIME_DIR='$ST' '$SBX' -d --name stopsig -b '$O':/out -i 'oci:$I/stop:stop' -- /bin/sh -c 'trap \"echo USR1 > /out/got; exit 0\" USR1; trap \"echo TERM > /out/got; exit 0\" TERM; echo > /out/up; while :; do sleep 0.1; done' >/dev/null &&
		while [ ! -e '$O/up' ]; do sleep 0.1; done;
		$AS env XDG_RUNTIME_DIR='$ST' '$SBX' stop stopsig 5 && cat '$O/got' | tr '\n' ' ' &&
		$AS env XDG_RUNTIME_DIR='$ST' '$SBX' wait stopsig; echo \$?"
	t "import: a blob that claims a layer the store has, but is another: refused" 0 "125 1 its diff_id" sh -c \
		"out=\$($AS env XDG_DATA_HOME='$ST' '$SBX' import 'oci:$I/claim:claim' 2>&1); echo \$? \$(printf '%s\n' \"\$out\" | wc -l) \$(printf '%s' \"\$out\" | grep -o 'its diff_id')"
	t "-i PATH: its own name in it takes no name of the store's" 0 "from image in /etc as 1234:2345" sh -c \
		"$AS env XDG_DATA_HOME='$ST' '$SBX' -i '$I/hijack' >/dev/null; $AS env XDG_DATA_HOME='$ST' '$SBX' -i example/base:v1"
	t "--entrypoint without a command: the image's Cmd goes too" 0 "" \
		img -i example/base:v1 --entrypoint /bin/echo
	t "exec: the image the sandbox runs, also once its tag names another" 0 "1234 1234" sh -c \
		"$AS env XDG_DATA_HOME='$ST' XDG_RUNTIME_DIR='$ST' '$SBX' -d --name tagged -i example/base:v1 --entrypoint /bin/sleep -- 919 >/dev/null &&
		a=\$($AS env XDG_DATA_HOME='$ST' XDG_RUNTIME_DIR='$ST' '$SBX' exec tagged sh -c 'id -u') &&
		$AS env XDG_DATA_HOME='$ST' '$SBX' import '$I/hijack' example/base:v1 >/dev/null &&
		b=\$($AS env XDG_DATA_HOME='$ST' XDG_RUNTIME_DIR='$ST' '$SBX' exec tagged sh -c 'id -u');
		$AS env XDG_RUNTIME_DIR='$ST' '$SBX' kill tagged KILL; $AS env XDG_RUNTIME_DIR='$ST' '$SBX' wait tagged >/dev/null;
		$AS env XDG_DATA_HOME='$ST' '$SBX' import 'docker-archive:$I/base-docker.tar' >/dev/null; echo \$a \$b"
	t "-i -R --cap-add SYS_ADMIN: a remount read-write writes the throwaway layer, not the store" 0 "" sh -c \
		"$AS env XDG_DATA_HOME='$ST' '$SBX' -i example/base:v1 -R --cap-add SYS_ADMIN --entrypoint /bin/sh -- -c 'mount -o remount,rw / 2>/dev/null; echo x > /poison' 2>/dev/null; ls '$ST'/sbx/layers/*/poison 2>/dev/null; true"
	t "-i: an image that is not there: one line" 125 \
		"sbx: image: nosuch: no such image in the store, nor a file (sbx images lists them)" img -i nosuch
	t "-i with -r: refused" 125 "sbx: -i: not with -r: the image is the root" img -i x -r /
	t "--entrypoint without -i: refused" 125 "sbx: --entrypoint: only with -i" img --entrypoint /bin/sh
	if [ ! -e "$I/pod-docker.tar" ]; then
		skip "images: podman import and save" "no podman (apt-get install podman)"
	else
		before=$(layers)
		t "-i docker-archive: podman save's, with the config podman import --change gave" 0 \
			"from podman in /etc as 1234:2345" img -i "docker-archive:$I/pod-docker.tar"
		t "import: podman's docker archive, a plain path, named by its RepoTags" 0 "v1" sh -c \
			"$AS env XDG_DATA_HOME='$ST' '$SBX' import '$I/pod-docker.tar' >/dev/null &&
			$AS env XDG_DATA_HOME='$ST' '$SBX' images | awk '\$1 == \"localhost/pod\" { print \$2 }'"
		t "import: ... and podman's import of the umoci base's layer is that layer" 0 "$before" layers
		t "import: podman's oci-archive: the same image, the same name" 0 "same localhost/pod:v1" sh -c \
			"a=\$($AS env XDG_DATA_HOME='$ST' '$SBX' import 'oci-archive:$I/pod-oci.tar') &&
			b=\$($AS env XDG_DATA_HOME='$ST' '$SBX' import '$I/pod-docker.tar') &&
			[ \"\$a\" = \"\$b\" ] && echo same \$($AS env XDG_DATA_HOME='$ST' '$SBX' images | awk '\$1 == \"localhost/pod\" { print \$1 \":\" \$2 }')"
		t "import: podman save -m, two images and no REF: one line naming them" 125 \
			"sbx: import: $I/pod-multi.tar: more than one image: name one as $I/pod-multi.tar:NAME:TAG (it has: localhost/pod:v1, localhost/pod:v2)" \
			img import "$I/pod-multi.tar"
		t "-i docker-archive:FILE:REF: podman save -m's second image" 0 "two" \
			img -i "docker-archive:$I/pod-multi.tar:localhost/pod:v2"
	fi
	t "import: docker save 25's archive: named by RepoTags, as docker load names it" 0 "alpine 3.19" sh -c \
		"$AS env XDG_DATA_HOME='$ST' '$SBX' import '$I/d25.tar' >/dev/null &&
		$AS env XDG_DATA_HOME='$ST' '$SBX' images | awk '\$1 == \"alpine\" { print \$1, \$2 }'"
	t "-i NAME:TAG: ... and runs" 0 "5" img -i alpine:3.19
	t "import oci-archive: its OCI layout, named by containerd's annotation" 0 \
		"docker.io/library/alpine 3.19" sh -c \
		"$AS env XDG_DATA_HOME='$ST' '$SBX' import 'oci-archive:$I/d25.tar' >/dev/null &&
		$AS env XDG_DATA_HOME='$ST' '$SBX' images | awk '\$1 ~ /alpine\$/ && \$1 != \"alpine\" { print \$1, \$2 }'"
	t "-i: docker save | gzip, as docker load reads it" 0 "5" img -i "$I/d25.tar.gz"
	t "-i: a truncated gzip'd archive: one line" 125 "sbx: import: $I/d25-cut.tar.gz: truncated" \
		img -i "$I/d25-cut.tar.gz"
	t "import: a zstd'd archive: one line with the fix" 125 \
		"sbx: import: $I/d25.tar.zst: compressed with zstd (hint: unzstd it, then import that)" \
		img import "$I/d25.tar.zst"
	t "import: docker save before 25, two images and no REF: one line naming them" 125 \
		"sbx: import: docker-archive:$I/legacy.tar: more than one image: name one as docker-archive:$I/legacy.tar:NAME:TAG (it has: example/five:v1, example/six:v1)" \
		img import "docker-archive:$I/legacy.tar"
	t "-i: docker save before 25, a layer linked to one saved already" 0 "5 6" sh -c \
		"$AS env XDG_DATA_HOME='$ST' '$SBX' -i 'docker-archive:$I/legacy.tar:example/six:v1' -- /bin/sh -c 'echo \$(cat /five /six)'"
	t "import: a layer linked to a path outside the archive (the right layer): refused" 0 \
		"125 1 Invalid argument" sh -c "out=\$($AS env XDG_DATA_HOME='$ST' '$SBX' import 'docker-archive:$I/outside.tar:example/six:v1' 2>&1); echo \$? \$(printf '%s\n' \"\$out\" | wc -l) \$(printf '%s' \"\$out\" | grep -o 'layer.tar): Invalid argument\$' | cut -d' ' -f2-)"
	# concurrent starts of an image not yet in the store
	rm -rf "$ST/sbx"
	for k in 1 2 3; do img -i "oci:$I/shared:shared" -- cat /etc/motd > "$TMP/conc$k" 2>&1 & done
	wait
	t "-i: three starts at once of a new image all run, each layer unpacked once" 0 \
		"changed changed changed 2" sh -c "echo \$(cat '$TMP'/conc1 '$TMP'/conc2 '$TMP'/conc3) $(layers)"
	# killed mid-unpack: nothing half-made is ever used, the next run
	# cleans up after it
	for k in 1 2 3 4 5 6; do
		rm -rf "$ST/sbx"
		$AS env XDG_DATA_HOME="$ST" "$SBX" import "oci:$I/three:three" >/dev/null 2>&1 &
		sleep "0.0$((RANDOM % 10))"
		kill -9 $! 2>/dev/null
		wait $! 2>/dev/null
		img -i "oci:$I/three:three" -- /bin/sh -c 'cat /data/a' >"$TMP/killed$k" 2>&1
	done
	t "import: killed with -9 mid-unpack, six times: the next run works" 0 "a a a a a a" \
		sh -c "cat '$TMP'/killed[1-6] | tr '\n' ' ' | sed 's/ $//'"
	t "import: ... and leaves nothing in tmp" 0 "" ls -A "$ST/sbx/tmp"
	t "import: two images in a layout and no REF: one line naming them" 125 \
		"sbx: import: $I/multi: more than one image: name one as $I/multi:REF (it has: one, two)" \
		img import "$I/multi"
	t "import: REF names one of them" 0 "" sh -c \
		"$AS env XDG_DATA_HOME='$ST' '$SBX' import 'oci:$I/multi:two' >/dev/null"
	t "import: a REF that is not there: one line naming those that are" 125 \
		"sbx: import: oci:$I/multi:three: no image three in it (it has: one, two)" \
		img import "oci:$I/multi:three"
	t "import: a zstd layer: one line with the fix" 125 \
		"sbx: layer: sha256:$(cat "$I/zstd.digest"): a zstd layer (hint: skopeo copy --dest-compress-format gzip, then import that)" \
		img import "oci:$I/zstd:zstd"
	t "rmi: the tags go, and the images with their last; images lists none" 0 "1" sh -c \
		"$AS env XDG_DATA_HOME='$ST' '$SBX' rmi two \$($AS env XDG_DATA_HOME='$ST' '$SBX' images --json | python3 -c 'import json,sys; print(*{x[\"id\"][:12] for x in json.load(sys.stdin) if x[\"name\"] != \"two\"})') && $AS env XDG_DATA_HOME='$ST' '$SBX' images | wc -l"
	t "prune: ... and then its layers, which no image uses, with their locks and records" 0 "0" sh -c \
		"$AS env XDG_DATA_HOME='$ST' '$SBX' prune && ls '$ST/sbx/layers' | wc -l"
	t "prune: ... and what killed tag and config writes left, not a live one's" 0 ".x:latest.$$" sh -c \
		"for f in tags/.x:latest.2147483646 images/.$(printf %064d 0).json.2147483646 tags/.x:latest.$$; do
		$AS touch '$ST/sbx/'\$f; done; $AS env XDG_DATA_HOME='$ST' '$SBX' prune && ls -A '$ST/sbx/tags' && ls -A '$ST/sbx/images'; rm -f '$ST/sbx/tags/.x:latest.$$'"
	t "rmi ID: an image's id removes all its names" 0 "1" sh -c \
		"id=\$($AS env XDG_DATA_HOME='$ST' '$SBX' import '$I/base-oci.tar') &&
		$AS env XDG_DATA_HOME='$ST' '$SBX' import 'docker-archive:$I/base-docker.tar' >/dev/null &&
		$AS env XDG_DATA_HOME='$ST' '$SBX' rmi \$id && $AS env XDG_DATA_HOME='$ST' '$SBX' images | wc -l"
	t "rmi: an image that is not there: one line" 125 \
		"sbx: rmi: nosuch: no such image (sbx images lists them)" img rmi nosuch
	OPEN=${R%/rootfs}/open
	mkdir -p "$OPEN" && chmod 777 "$OPEN"
	t "the store: under a directory others may write: one line, nothing made" 125 \
		"sbx: images: $OPEN: owner 0, mode 777: others could change the store's path (hint: set XDG_DATA_HOME to a directory only you and root can write)" \
		$AS env XDG_DATA_HOME="$OPEN/a/b" "$SBX" images
	t "the store: ... and nothing is made there" 0 "" ls -A "$OPEN"
fi
