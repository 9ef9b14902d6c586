/* See LICENSE file for copyright and license details. */
/* a config.json's typed reads: see ocicfg.c */
#include <stddef.h>

struct json;

/* the directory relative paths are in */
void ocicfg_dir(const char *dir);
/* n zeroed bytes that live until the next config's ocicfg_dir */
void *ocicfg_alloc(size_t n);
/*
 * The readers, each dying with one line that names the JSON path: obj's
 * member key of a type (NULL if it is absent); its string, its boolean,
 * its whole number up to max (or v's); the strings of an array into out
 * (at most max); a path the bundle names, made absolute.
 */
__attribute__((noreturn)) void bad(const struct json *v, const char *what);
const struct json *member(const struct json *obj, const char *key, int type);
const char *string(const struct json *obj, const char *key);
int boolean(const struct json *obj, const char *key);
unsigned long long number(const struct json *obj, const char *key,
    unsigned long long max);
unsigned long long whole(const struct json *v, unsigned long long max);
int strings(const struct json *obj, const char *key, const char **out,
    int max);
/* a NULL-terminated copy of the strings of obj's array member key (at
 * most 4096) */
char **string_list(const struct json *obj, const char *key);
const char *in_bundle(const char *path);
