/* See LICENSE file for copyright and license details. */
/* an OCI bundle into the plan: see bundle.c */
#include <stddef.h>

struct json;
struct plan;

/* dir's config.json into p (which it starts afresh), or dies naming the
 * JSON path; *doc is the parsed file, which p's strings point into */
void bundle_plan(const char *dir, struct plan *p, struct json **doc);
/* the same from buf[0..len), config.json's text (fuzzed, in tests/fuzz.c) */
void bundle_parse(const char *buf, size_t len, const char *dir, struct plan *p,
    struct json **doc);
