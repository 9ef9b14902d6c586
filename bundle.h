/* See LICENSE file for copyright and license details. */
/* an OCI bundle into the plan: see bundle.c */
struct json;
struct plan;

/* dir's config.json into p (which it starts afresh), or dies naming the
 * JSON path; *doc is the parsed file, which p's strings point into */
void bundle_plan(const char *dir, struct plan *p, struct json **doc);
