/* See LICENSE file for copyright and license details. */
/*
 * jsonout.c: JSON text from a tree's strings and places, in the caller's
 * buffer as snprintf does; never allocates, never dies. See json.h.
 */
#include <stddef.h>

struct json;

/*
 * Both write as snprintf does: buf is always terminated (unless n is 0),
 * and the length returned is the whole text's, cut short or not.
 * json_quote: s[0..len) as a JSON string, quotes included, escaping only
 * what must be (\" \\ and the control characters, \n or \u001f).
 */
size_t json_quote(char *buf, size_t n, const char *s, size_t len);
/* json_path: where v is, for messages: "process.args[2]", or
 * "annotations[\"a.b\"]" for a key that is no identifier; "" for the root */
size_t json_path(const struct json *v, char *buf, size_t n);
