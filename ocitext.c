/* See LICENSE file for copyright and license details. */
/*
 * ocitext.c: the OCI runtime's texts: a container's state as JSON, as
 * runtime-spec's runtime.md gives it, and what state and list print.
 */
#include <string.h>

#include "fmt.h"
#include "json.h"
#include "jsonout.h"
#include "oci.h"
#include "ocitext.h"
#include "sbx.h"

void
text_add(struct text *t, const char *s)
{
	t->len += fmt(t->buf + t->len, t->len < sizeof(t->buf) ?
	    sizeof(t->buf) - t->len : 0, "%s", s);
	if (t->len >= sizeof(t->buf))
		die("state: more than 64 KiB");
}

static void
add_quoted(struct text *t, const char *s)
{
	t->len += json_quote(t->buf + t->len, t->len < sizeof(t->buf) ?
	    sizeof(t->buf) - t->len : 0, s, strlen(s));
	if (t->len >= sizeof(t->buf))
		die("state: more than 64 KiB");
}

static void
add_field(struct text *t, const char *key, const char *value, int last)
{
	value = value ? value : "";
	text_add(t, "\"");
	text_add(t, key);
	text_add(t, "\":");
	add_quoted(t, value);
	text_add(t, last ? "" : ",");
}

/* the annotations: an object of strings, as the bundle gave them */
static void
add_annotations(struct text *t, const struct json *a)
{
	const struct json *v;

	text_add(t, "\"annotations\":{");
	for (v = a ? a->child : NULL; v; v = v->next) {
		if (!json_string(v))
			continue;
		add_quoted(t, v->key);
		text_add(t, ":");
		add_quoted(t, json_string(v));
		text_add(t, v->next ? "," : "");
	}
	text_add(t, "}");
}

void
text_state(struct text *t, const struct fields *f)
{
	char num[64];

	text_add(t, "{");
	add_field(t, "ociVersion", OCI_VERSION_STR, 0);
	add_field(t, "id", f->id, 0);
	add_field(t, "status", f->status, 0);
	fmt(num, sizeof(num), "\"pid\":%d,", (int)f->pid);
	text_add(t, num);
	if (f->start) {
		fmt(num, sizeof(num), "\"start\":%llu,", f->start);
		text_add(t, num);
	}
	add_field(t, "bundle", f->bundle, 0);
	add_field(t, "rootfs", f->rootfs, 0);
	add_field(t, "created", f->created, 0);
	add_field(t, "owner", "", 0);
	add_annotations(t, f->annotations);
	text_add(t, "}");
}
