/* See LICENSE file for copyright and license details. */
/*
 * image.c: -i's front end: an image (imported first if it is not in the
 * store) into the plan: its layers as the root, its config's defaults
 * where the command line gave none. It sets nothing up itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fmt.h"
#include "image.h"
#include "import.h"
#include "json.h"
#include "plan.h"
#include "store.h"
#include "tags.h"
#include "sbx.h"
#include "signames.h"

/* ref in the store, also as docker names it when it names no registry:
 * alpine is docker.io/library/alpine, foo/bar docker.io/foo/bar */
static int
find(const char *ref, char id[65])
{
	char full[256];

	if (tags_find(ref, id) == 0)
		return 0;
	fmt(full, sizeof(full), "docker.io/%s%s", strchr(ref, '/') ? "" :
	    "library/", ref);
	return tags_find(full, id);
}

/* the config of the image that ref names, imported if it is a path */
static struct json *
load(const char *ref, char id[65])
{
	/* a source is what it says, whatever the store holds: never a name
	 * that an image could have taken (and -i names none) */
	enter("image");
	store_share();
	/* a whole id is the image, as sbx exec names the one it runs */
	if (store_hex(ref) && tags_find(ref, id) == 0)
		return store_config(id);
	if (import_source(ref)) {
		import_image(ref, IMPORT_UNNAMED, id);
		enter("image");
	} else if (find(ref, id) < 0) {
		die("%s: no such image in the store, nor a file (sbx images"
		    " lists them)", ref);
	}
	return store_config(id);
}

static const struct json *
list(const struct json *obj, const char *key)
{
	const struct json *l = json_get(obj, key);

	return l && l->type == JSON_ARRAY ? l->child : NULL;
}

/* a store image's layers are there, unless they were unpacked for
 * other ids than ours */
static void
check_layer(const struct plan *p, const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		return;
	if (errno != ENOENT)
		die("stat(%s):", path);
	if (p->mapusers || p->mapgroups)
		die("%s: not in the store for these --map-users and"
		    " --map-groups (hint: sbx import with the same ones)",
		    p->image);
	die("%s: in the store only for --map-users or --map-groups (hint:"
	    " sbx import SRC, or run it with them)", p->image);
}

/* the layers, top first: the top one is the root, the rest lie under it
 * with the caller's -l layers below them all */
static void
plan_layers(struct plan *p, const struct json *config)
{
	const struct json *d, *ids = list(json_get(config, "rootfs"),
	    "diff_ids");
	const char *paths[MAXLAYERS], *hex;
	char *path, name[LAYERNAME_MAX];
	int n = 0, i;

	for (d = ids; d; d = d->next) {
		if (n == MAXLAYERS || !(hex = store_hex(json_string(d))))
			die("%s: its diff_ids: more than %d, or not sha256",
			    p->image, MAXLAYERS);
		if (!(path = malloc(PATH_MAX)))
			die("malloc:");
		fmt(path, PATH_MAX, "%s/layers/%s", store_path(),
		    store_layer_name(name, sizeof(name), hex));
		check_layer(p, path);
		paths[n++] = path;
	}
	if (!n)
		die("%s: an image of no layers", p->image);
	/* overlayfs would take them for separators */
	if (strpbrk(store_path(), ",:\\"))
		die("%s: the store's path may not hold ',', ':' or '\\' (hint:"
		    " set XDG_DATA_HOME)", store_path());
	if (n - 1 + p->nlowers > MAXLAYERS)
		die("%s: more than %d layers", p->image, MAXLAYERS);
	memmove(p->lowers + n - 1, p->lowers, p->nlowers * sizeof(char *));
	for (i = 0; i < n - 1; i++)
		p->lowers[i] = paths[n - 2 - i];
	p->nlowers += n - 1;
	p->root = paths[n - 1];
	/* a throwaway layer on top, as for -o, even under -R: then the
	 * overlay is read-only, and a sandbox that may remount it writes to
	 * that layer, never to the store's */
	p->overlay = 1;
}

/* Entrypoint and Cmd; a command given replaces Cmd, --entrypoint the
 * Entrypoint (and Cmd with it, as docker run does) */
static void
plan_command(struct plan *p, const struct json *cfg)
{
	const struct json *e = list(cfg, "Entrypoint"), *c = list(cfg, "Cmd");
	const struct json *v;
	char **argv;
	int n = 0, m = 0;

	if (p->entrypoint)
		e = c = NULL;
	for (v = e; v; v = v->next)
		n++;
	for (v = p->argv ? NULL : c; v; v = v->next)
		n++;
	for (; p->argv && p->argv[m]; m++)
		;
	if (!(argv = calloc(n + m + 2, sizeof(*argv))))
		die("malloc:");
	n = 0;
	if (p->entrypoint)
		argv[n++] = (char *)p->entrypoint;
	for (v = e; v; v = v->next)
		if (!(argv[n++] = (char *)json_string(v)))
			die("%s: Entrypoint: not a list of strings", p->image);
	for (v = p->argv ? NULL : c; v; v = v->next)
		if (!(argv[n++] = (char *)json_string(v)))
			die("%s: Cmd: not a list of strings", p->image);
	memcpy(argv + n, p->argv ? p->argv : argv + n, m * sizeof(*argv));
	if (!argv[0])
		die("%s: the image names no command: give one", p->image);
	p->argv = argv;
}

/* the image's Env, as docker run gives it: in place of ours, then -e */
static void
plan_env(struct plan *p, const struct json *cfg)
{
	const struct json *v, *env = list(cfg, "Env");
	int n = 1;

	for (v = env; v; v = v->next)
		n++;
	if (n + p->nenv > MAXOPS)
		die("%s: more than %d variables", p->image, MAXOPS);
	memmove(p->env + n, p->env, p->nenv * sizeof(*p->env));
	p->env[0] = (struct op){ ENV_CLEAR, NULL, NULL };
	for (n = 1, v = env; v; v = v->next, n++)
		if (!json_string(v) || !strchr(json_string(v), '='))
			die("%s: Env: not a list of NAME=VALUE", p->image);
		else
			p->env[n] = (struct op){ ENV_SET, json_string(v), NULL };
	p->nenv += n;
}

/* whether path's directory in the layer open on dir is opaque, as unpack
 * marks it: what the layers below hold there is hidden */
static int
opaque(int dir, const char *path)
{
	char parent[PATH_MAX], c = 0;
	const char *slash = strrchr(path, '/');
	int fd, hidden;

	if (!slash)
		return 0;
	fmt(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	if ((fd = openat(dir, parent, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return 0;
	hidden = fgetxattr(fd, "user.overlay.opaque", &c, 1) == 1 && c == 'y';
	if (close(fd) < 0)
		die("close(%s):", parent);
	return hidden;
}

/* a file of the image's, from the topmost layer that has it; NULL if
 * none has, or the first to have one has it deleted or hidden */
static char *
image_file(const struct plan *p, const char *path, size_t *len)
{
	char fdp[FDPATH_MAX], *buf = NULL;
	struct stat st;
	int i, dir, fd = -1, hidden;

	for (i = -1; fd < 0 && i < p->nlowers; i++) {
		if ((dir = open(i < 0 ? p->root : p->lowers[i], O_RDONLY |
		    O_DIRECTORY | O_CLOEXEC)) < 0)
			die("open(%s):", i < 0 ? p->root : p->lowers[i]);
		fd = open_in(dir, path);
		/* there but no file: a whiteout, or what hides the layers
		 * below as well; or its directory is opaque */
		hidden = fd < 0 && (errno != ENOENT || opaque(dir, path));
		if (close(dir) < 0)
			die("close(%s):", path);
		if (hidden)
			break;
	}
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		buf = slurp(AT_FDCWD, fdpath(fdp, fd), SLURP_HOST, len);
	if (fd >= 0 && close(fd) < 0)
		die("close(%s):", path);
	return buf;
}

/* name (or a number) in /etc/passwd or /etc/group: its id, and in
 * passwd its group's; -1 if it is not there */
static int
find_id(char *buf, size_t len, const char *name, unsigned ids[2])
{
	char *at = buf, *line, *f[4], *end;
	int i;

	for (; buf && (line = next_line(&at, buf + len)); ) {
		for (f[0] = line, i = 1; i < 4 && f[i - 1]; i++)
			if ((f[i] = strchr(f[i - 1], ':')))
				*f[i]++ = '\0';
		if (i < 4 || !f[3] || strcmp(f[0], name))
			continue;
		ids[0] = strtoul(f[2], &end, 10);
		ids[1] = strtoul(f[3], NULL, 10);
		return *end ? -1 : 0;
	}
	return -1;
}

/* a number, or a name in the image's own file */
static unsigned
resolve(const struct plan *p, const char *name, const char *file,
    unsigned *gid)
{
	unsigned long n;
	unsigned ids[2];
	size_t len = 0;
	char *end, *buf;

	errno = 0;
	n = strtoul(name, &end, 10);
	if (*name && !*end && !errno && n < 0xffffffffUL)
		return n;
	buf = image_file(p, file, &len);
	if (find_id(buf, len, name, ids) < 0)
		die("%s: User '%s': not in the image's /%s", p->image, name,
		    file);
	free(buf);
	if (gid)
		*gid = ids[1];
	return ids[0];
}

/* User: NAME-OR-UID[:GROUP-OR-GID], unless -u or -g said */
static void
plan_user(struct plan *p, const struct json *cfg)
{
	const char *user = json_string(json_get(cfg, "User"));
	char name[256], *colon;
	unsigned gid = 0;

	if (user && *user && (p->uid == ID_UNSET || p->gid == ID_UNSET)) {
		fmt(name, sizeof(name), "%s", user);
		if ((colon = strchr(name, ':')))
			*colon++ = '\0';
		if (p->uid == ID_UNSET)
			p->uid = resolve(p, name, "etc/passwd", &gid);
		if (p->gid == ID_UNSET)
			p->gid = colon ? resolve(p, colon, "etc/group", NULL) :
			    gid;
	}
	p->uid = p->uid == ID_UNSET ? 0 : p->uid;
	p->gid = p->gid == ID_UNSET ? 0 : p->gid;
}

void
image_plan(struct plan *p)
{
	const struct json *cfg;
	struct json *config;
	const char *stop;
	char id[65];

	store_ids(p->mapusers ? p->subuid : NULL, p->mapgroups ? p->subgid :
	    NULL);
	config = load(p->image, id);
	fmt(p->imageid, sizeof(p->imageid), "sha256:%s", id);
	cfg = json_get(config, "config");
	plan_layers(p, config);
	plan_command(p, cfg);
	plan_env(p, cfg);
	if (!p->chdir && json_string(json_get(cfg, "WorkingDir")) &&
	    *json_string(json_get(cfg, "WorkingDir")))
		p->chdir = json_string(json_get(cfg, "WorkingDir"));
	plan_user(p, cfg);
	stop = json_string(json_get(cfg, "StopSignal"));
	if (stop && *stop && (p->stopsignal = signum(stop)) < 0)
		die("%s: StopSignal '%.20s': no such signal", p->image, stop);
}
