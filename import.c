/* See LICENSE file for copyright and license details. */
/*
 * import.c: an image from an OCI layout, an OCI archive or a docker
 * archive into the store, every blob checked against its digest. A name,
 * a digest or a path in the source is never trusted as a path outside it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fmt.h"
#include "import.h"
#include "inflate.h"
#include "json.h"
#include "plan.h"
#include "sha256.h"
#include "store.h"
#include "tags.h"
#include "sbx.h"
#include "pax.h"
#include "tar.h"
#include "unpack.h"

/* what a manifest, an index or a config may be */
#define JSONMAX (4 << 20)
#define REFKEY "org.opencontainers.image.ref.name"
#define NAMEKEY "io.containerd.image.name"

struct source {
	const char *what;   /* as the user named it, for messages */
	int dir;            /* the layout, or the archive unpacked */
	const char *ref;    /* the image asked for in it, or NULL */
	char tmp[32];       /* the archive's directory in the store's tmp */
};

static struct source *current; /* removed if we die first */

static void
remove_current(void)
{
	if (current && current->tmp[0])
		store_remove(store_open(), current->tmp);
}

/* "sha256:HEX" as 64 hex digits, or dies */
static const char *
digest_hex(const struct source *s, const char *digest)
{
	const char *hex = store_hex(digest);

	if (!hex)
		die("%s: digest '%.80s': not sha256:<64 hex digits>", s->what,
		    digest ? digest : "");
	return hex;
}

/* a small blob (a manifest, an index, a config), checked, whole */
static char *
read_blob(const struct source *s, const char *path, const char *hex,
    size_t *len)
{
	char fdp[FDPATH_MAX], sum[65], *buf;
	struct sha256 h;
	int fd;

	if ((fd = open_in(s->dir, path)) < 0)
		die("%s: open(%s):", s->what, path);
	buf = slurp(AT_FDCWD, fdpath(fdp, fd), JSONMAX, len);
	if (close(fd) < 0 || !buf)
		die("%s: read(%s):", s->what, path);
	if (hex) {
		sha256_init(&h);
		sha256_add(&h, buf, *len);
		sha256_hex(&h, sum);
		if (strcmp(sum, hex))
			die("%s: %s: its sha256 is %s", s->what, path, sum);
	}
	return buf;
}

static struct json *
parse_buf(const struct source *s, const char *path, const char *buf,
    size_t len)
{
	struct json *j;
	char err[128];

	if (!(j = json_parse(buf, len, err, sizeof(err))))
		die("%s: %s: %s", s->what, path, err);
	return j;
}

static struct json *
parse_blob(const struct source *s, const char *path, const char *hex)
{
	size_t len;
	char *buf = read_blob(s, path, hex, &len);

	return parse_buf(s, path, buf, len);
}

static const char *
blob_path(const struct source *s, const char *digest, char *buf, size_t n)
{
	fmt(buf, n, "blobs/sha256/%s", digest_hex(s, digest));
	return buf;
}

/* this machine, as OCI's platform.architecture names it */
static const char *
our_arch(void)
{
	static const struct { const char *uname, *oci; } arches[] = {
		{ "x86_64", "amd64" }, { "aarch64", "arm64" },
		{ "i686", "386" }, { "armv7l", "arm" }, { "ppc64le", "ppc64le" },
		{ "s390x", "s390x" }, { "riscv64", "riscv64" },
	};
	static struct utsname u;
	size_t i;

	if (uname(&u) < 0)
		die("uname:");
	for (i = 0; i < LEN(arches); i++)
		if (!strcmp(u.machine, arches[i].uname))
			return arches[i].oci;
	return u.machine;
}

static const char *
jstr(const struct json *obj, const char *key)
{
	return json_string(json_get(obj, key));
}

/* 1 if the descriptor m is one that ref (NULL: any) and our platform
 * (if it names one) select */
static int
selected(const struct json *m, const char *ref)
{
	const struct json *plat = json_get(m, "platform");
	const char *name = jstr(json_get(m, "annotations"), REFKEY);

	if (ref && (!name || strcmp(name, ref)))
		return 0;
	return !plat || ((!jstr(plat, "os") || !strcmp(jstr(plat, "os"),
	    "linux")) && (!jstr(plat, "architecture") ||
	    !strcmp(jstr(plat, "architecture"), our_arch())));
}

/* what an index holds, for a message */
static void
names_in(const struct json *list, char *buf, size_t n)
{
	const struct json *m;
	const char *name;
	size_t len = 0;

	buf[0] = '\0';
	for (m = list ? list->child : NULL; m && len < n; m = m->next) {
		name = jstr(json_get(m, "annotations"), REFKEY);
		len += fmt(buf + len, n - len, "%s%s", len ? ", " : "",
		    name ? name : jstr(m, "digest") ? jstr(m, "digest") : "?");
	}
}

/* in an index: the manifest that ref names, or the only one there is */
static const struct json *
choose(const struct source *s, const struct json *index, const char *ref)
{
	const struct json *list = json_get(index, "manifests"), *m, *pick = NULL;
	char names[512];
	int n = 0;

	if (!list || list->type != JSON_ARRAY)
		die("%s: index.json: no manifests", s->what);
	for (m = list->child; m; m = m->next)
		if (selected(m, ref) && n++ == 0)
			pick = m;
	names_in(list, names, sizeof(names));
	if (!n && ref)
		die("%s: no image %s in it (it has: %s)", s->what, ref, names);
	if (!n)
		die("%s: no image for linux/%s in it (it has: %s)", s->what,
		    our_arch(), names);
	if (n > 1)
		die("%s: more than one image: name one as %s:REF (it has: %s)",
		    s->what, s->what, names);
	return pick;
}

/* the manifest the descriptor points at, through nested indexes */
static struct json *
manifest_of(const struct source *s, const struct json *desc)
{
	char path[96];
	struct json *j;
	int depth;

	for (depth = 0; depth < 4; depth++) {
		j = parse_blob(s, blob_path(s, jstr(desc, "digest"), path,
		    sizeof(path)), digest_hex(s, jstr(desc, "digest")));
		if (!json_get(j, "manifests"))
			return j;
		desc = choose(s, j, NULL);
	}
	die("%s: indexes nested too deep", s->what);
}

/* a layer's file. docker save before 25 writes a layer it has saved
 * already as a link, <id>/layer.tar -> ../<id0>/layer.tar: such a link,
 * at the top or one directory down, is read in its own directory (never
 * through another link), and what it says is opened as a name inside
 * the source; one hop, never a path outside it */
static int
open_layer(const struct source *s, const char *path)
{
	char up[NAME_MAX + 1], link[PATH_MAX], to[PATH_MAX];
	const char *slash = strchr(path, '/');
	int fd, dir;
	ssize_t n;

	if ((fd = open_in(s->dir, path)) >= 0 || errno != ELOOP ||
	    (slash && strchr(slash + 1, '/')))
		return fd;
	fmt(up, sizeof(up), "%.*s", slash ? (int)(slash - path) : 0, path);
	if ((dir = slash ? openat(s->dir, up, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC) : s->dir) < 0)
		return -1;
	n = readlinkat(dir, slash ? slash + 1 : path, link, sizeof(link) - 1);
	if (dir != s->dir && close(dir) < 0)
		die("close(%s):", up);
	if (n < 0)
		return -1;
	link[n] = '\0';
	if (slash && !strncmp(link, "../", 3))
		fmt(to, sizeof(to), "%s", link + 3);
	else
		fmt(to, sizeof(to), "%s%s%s", up, slash ? "/" : "", link);
	return open_in(s->dir, to);
}

/* the config's diff_ids, and the layers' files (with their blobs'
 * digests, NULL for a docker archive's), bottom first, into the store */
static void
store_layers(const struct source *s, const struct json *config,
    const char **paths, const char **blobs, int n)
{
	const struct json *ids = json_get(json_get(config, "rootfs"),
	    "diff_ids"), *d;
	int i, fd;

	for (i = 0, d = ids ? ids->child : NULL; d; d = d->next)
		i++;
	if (!ids || ids->type != JSON_ARRAY || i != n)
		die("%s: the config's rootfs.diff_ids do not match the %d"
		    " layers", s->what, n);
	for (i = 0, d = ids->child; d; d = d->next, i++) {
		if ((fd = open_layer(s, paths[i])) < 0)
			die("%s: open(%s):", s->what, paths[i]);
		store_layer(fd, blobs[i], digest_hex(s, json_string(d)));
		if (close(fd) < 0)
			die("close(%s):", paths[i]);
	}
}

/* the image's id is its config's sha256; it is saved last, so that an
 * image is in the store only with all its layers */
static void
save(const char *config, size_t len, const char *tag, char id[65])
{
	struct sha256 h;

	sha256_init(&h);
	sha256_add(&h, config, len);
	sha256_hex(&h, id);
	tags_save(id, config, len, tag);
}

#define LAYERS_MAX MAXLAYERS

static void
import_oci(struct source *s, const char *tag, char id[65])
{
	const char *paths[LAYERS_MAX], *blobs[LAYERS_MAX];
	char cpath[96], (*lpath)[96], *config;
	const struct json *desc, *l;
	struct json *index, *m;
	const char *name;
	size_t len;
	int n = 0;

	index = parse_blob(s, "index.json", NULL);
	desc = choose(s, index, s->ref);
	/* containerd, and docker save since 25, put the whole name there,
	 * and only the tag in REFKEY */
	if (!(name = jstr(json_get(desc, "annotations"), NAMEKEY)))
		name = jstr(json_get(desc, "annotations"), REFKEY);
	m = manifest_of(s, desc);
	if (!(lpath = calloc(LAYERS_MAX, sizeof(*lpath))))
		die("malloc:");
	l = json_get(m, "layers");
	for (l = l && l->type == JSON_ARRAY ? l->child : NULL; l; l = l->next) {
		if (n == LAYERS_MAX)
			die("%s: more than %d layers", s->what, LAYERS_MAX);
		paths[n] = blob_path(s, jstr(l, "digest"), lpath[n], 96);
		blobs[n++] = digest_hex(s, jstr(l, "digest"));
	}
	desc = json_get(m, "config");
	config = read_blob(s, blob_path(s, jstr(desc, "digest"), cpath,
	    sizeof(cpath)), digest_hex(s, jstr(desc, "digest")), &len);
	/* the bytes that were checked: the file may have changed since */
	store_layers(s, parse_buf(s, cpath, config, len), paths, blobs, n);
	if (!tag && name && tags_valid(name) == 0)
		tag = name;
	save(config, len, tag == IMPORT_UNNAMED ? NULL : tag, id);
}

/* what a manifest.json holds, for a message: its images' RepoTags, or
 * their configs' paths */
static void
tags_in(const struct json *list, char *buf, size_t n)
{
	const struct json *m, *t;
	size_t len = 0;

	buf[0] = '\0';
	for (m = list->child; m && len < n; m = m->next) {
		t = json_get(m, "RepoTags");
		if (!t || !t->child)
			len += fmt(buf + len, n - len, "%s%s", len ? ", " : "",
			    jstr(m, "Config") ? jstr(m, "Config") : "?");
		for (t = t ? t->child : NULL; t && len < n; t = t->next)
			len += fmt(buf + len, n - len, "%s%s", len ? ", " : "",
			    json_string(t) ? json_string(t) : "?");
	}
}

/* in a docker archive's manifest.json: the image tagged ref, or the
 * only one */
static const struct json *
choose_docker(const struct source *s, const struct json *list)
{
	const struct json *m, *t, *pick = NULL;
	char names[512];
	int n = 0;

	if (!list || list->type != JSON_ARRAY)
		die("%s: manifest.json: not a list of images", s->what);
	for (m = list->child; m; m = m->next) {
		t = json_get(m, "RepoTags");
		for (t = s->ref && t ? t->child : NULL; t; t = t->next)
			if (json_string(t) && !strcmp(json_string(t), s->ref))
				break;
		if ((!s->ref || t) && n++ == 0)
			pick = m;
	}
	tags_in(list, names, sizeof(names));
	if (!n && s->ref)
		die("%s: no image %s in it (it has: %s)", s->what, s->ref,
		    names);
	if (!n)
		die("%s: manifest.json: no images", s->what);
	if (n > 1)
		die("%s: more than one image: name one as %s:NAME:TAG (it"
		    " has: %s)", s->what, s->what, names);
	return pick;
}

/* docker save's own format: Config and Layers are paths in it */
static void
import_docker(struct source *s, const char *tag, char id[65])
{
	const char *paths[LAYERS_MAX], *blobs[LAYERS_MAX] = { NULL };
	const struct json *m, *l;
	char *config;
	size_t len;
	int n = 0;

	m = choose_docker(s, parse_blob(s, "manifest.json", NULL));
	l = json_get(m, "Layers");
	for (l = l && l->type == JSON_ARRAY ? l->child : NULL; l; l = l->next) {
		if (n == LAYERS_MAX)
			die("%s: more than %d layers", s->what, LAYERS_MAX);
		if (!(paths[n++] = json_string(l)))
			die("%s: manifest.json: a layer that is no path",
			    s->what);
	}
	if (!jstr(m, "Config"))
		die("%s: manifest.json: no Config", s->what);
	config = read_blob(s, jstr(m, "Config"), NULL, &len);
	store_layers(s, parse_buf(s, jstr(m, "Config"), config, len), paths,
	    blobs, n);
	l = json_get(m, "RepoTags");
	if (!tag && s->ref && tags_valid(s->ref) == 0)
		tag = s->ref;
	else if (!tag && l && l->child && json_string(l->child) &&
	    tags_valid(json_string(l->child)) == 0)
		tag = json_string(l->child);
	save(config, len, tag == IMPORT_UNNAMED ? NULL : tag, id);
}

/* an archive as docker load reads it: a tar, or one piped through a
 * compressor; gzip is read here, the others are named with the fix */
struct archive {
	int fd;
	struct gz *gz;            /* NULL: a plain tar */
	const char *file;
};

static const struct {
	unsigned char magic[6];
	size_t n;
	const char *name, *fix;
} packers[] = {
	{ { 0x28, 0xb5, 0x2f, 0xfd }, 4, "zstd", "unzstd" },
	{ { 0xfd, '7', 'z', 'X', 'Z', 0 }, 6, "xz", "unxz" },
	{ { 'B', 'Z', 'h' }, 3, "bzip2", "bunzip2" },
};

/* a gzip'd archive may expand as far as one layer may, whatever it
 * takes on disk */
#define GZARCHIVEMAX (64ULL << 30)

static ssize_t
read_fd(void *arg, void *buf, size_t n)
{
	return read(*(int *)arg, buf, n);
}

static ssize_t
read_archive(void *arg, void *buf, size_t n)
{
	struct archive *a = arg;
	ssize_t r;

	if (!a->gz)
		return read(a->fd, buf, n);
	if ((r = gz_read(a->gz, buf, n)) < 0)
		die("%s: %s", a->file, gz_error(a->gz));
	return r;
}

/* gzip, plain, or one line naming the compressor and the fix */
static void
open_archive(struct archive *a, int fd, const char *file)
{
	unsigned char magic[6];
	ssize_t n;
	size_t i;

	a->fd = fd;
	a->gz = NULL;
	a->file = file;
	if ((n = pread(fd, magic, sizeof(magic), 0)) < 0)
		die("read(%s):", file);
	for (i = 0; i < LEN(packers); i++)
		if ((size_t)n >= packers[i].n && !memcmp(magic,
		    packers[i].magic, packers[i].n))
			die("%s: compressed with %s (hint: %s it, then import"
			    " that)", file, packers[i].name, packers[i].fix);
	if (gz_magic(magic, n) && !(a->gz = gz_open(read_fd, &a->fd)))
		die("malloc:");
}

/* an archive, unpacked into the store's tmp, for the layout in it */
static void
unpack_archive(struct source *s, const char *file)
{
	struct unpack_opts o = { s->what, 0, 0 };
	struct archive a;
	struct stat st;
	struct tar *t;
	char rest[4096];
	int fd;

	if ((fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0)
		die("open(%s):", file);
	if (!S_ISREG(st.st_mode))
		die("%s: not a file", file);
	open_archive(&a, fd, file);
	/* a tar holds its files whole: it cannot expand past what it takes
	 * on disk (a sparse one takes little) */
	o.maxbytes = a.gz ? GZARCHIVEMAX : st.st_blocks * 512ULL + (1 << 20);
	fmt(s->tmp, sizeof(s->tmp), "tmp/import.%d", (int)getpid());
	store_remove(store_open(), s->tmp);
	if (mkdirat(store_open(), s->tmp, 0700) < 0 || (s->dir =
	    openat(store_open(), s->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		die("mkdir(%s/%s):", store_path(), s->tmp);
	if (!(t = tar_open(read_archive, &a)))
		die("malloc:");
	unpack(s->dir, t, &o);
	tar_close(t);
	/* to its end, where its CRC and length are checked */
	while (a.gz && read_archive(&a, rest, sizeof(rest)) > 0)
		;
	if (a.gz)
		gz_close(a.gz);
	if (close(fd) < 0)
		die("close(%s):", file);
}

enum { ANY, OCI, DOCKER };

static const struct { const char *prefix; int kind, archive; } transports[] = {
	{ "oci:", OCI, 0 }, { "oci-archive:", OCI, 1 },
	{ "docker-archive:", DOCKER, 1 },
};

int
import_source(const char *src)
{
	struct stat st;
	size_t i;

	for (i = 0; i < LEN(transports); i++)
		if (!strncmp(src, transports[i].prefix,
		    strlen(transports[i].prefix)))
			return 1;
	return stat(src, &st) == 0;
}

/* TRANSPORT:PATH[:REF]: the transports skopeo and podman name, and a
 * plain path; the path is the longest prefix that exists */
static const char *
split(struct source *s, const char *src, int *kind, int *archive)
{
#define t transports
	static char path[PATH_MAX];
	const char *at;
	struct stat st;
	size_t i;

	for (i = 0; i < LEN(t) && strncmp(src, t[i].prefix,
	    strlen(t[i].prefix)); i++)
		;
	*kind = i < LEN(t) ? t[i].kind : ANY;
	src += i < LEN(t) ? strlen(t[i].prefix) : 0;
	fmt(path, sizeof(path), "%s", src);
	for (at = src + strlen(src); i < LEN(t) && stat(path, &st) < 0 &&
	    at > src; ) {
		while (--at > src && *at != ':')
			;
		fmt(path, sizeof(path), "%.*s", (int)(at - src), src);
		s->ref = at + 1;
	}
	if (stat(path, &st) < 0)
		die("stat(%s):", path);
	*archive = i < LEN(t) ? t[i].archive : !S_ISDIR(st.st_mode);
	return path;
#undef t
}

void
import_image(const char *src, const char *tag, char id[65])
{
	struct source s = { src, -1, NULL, "" };
	const char *path;
	int kind, archive;
	struct stat st;

	enter("import");
	if (tag && tag != IMPORT_UNNAMED && tags_valid(tag) < 0)
		die("%s: not an image name (letters, digits, '._-/:')", tag);
	path = split(&s, src, &kind, &archive);
	store_share();
	current = &s;
	atexit(remove_current);
	if (archive)
		unpack_archive(&s, path);
	else if ((s.dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open(%s):", path);
	/* docker save since 25 writes both: manifest.json has the names
	 * docker load gives (its index.json, only tags; none at all for an
	 * image saved by id; no layers in 25.0.0) */
	if (kind == ANY)
		kind = fstatat(s.dir, "manifest.json", &st,
		    AT_SYMLINK_NOFOLLOW) == 0 || fstatat(s.dir, "index.json",
		    &st, AT_SYMLINK_NOFOLLOW) < 0 ? DOCKER : OCI;
	if (kind == OCI)
		import_oci(&s, tag, id);
	else
		import_docker(&s, tag, id);
	if (close(s.dir) < 0)
		die("close(%s):", path);
	remove_current();
	current = NULL;
}
