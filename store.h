/* See LICENSE file for copyright and license details. */
/* the image store: see store.c */

#include <dirent.h>

struct json;

/* the store's directory, opened (made if missing) and checked private */
int store_open(void);
const char *store_path(void);

/* the layer diff (64 hex digits) unpacked from the blob open on fd (gzip
 * or plain), once: done if it is there; blob, if not NULL, the digest
 * the blob must have. Dies on a mismatch, leaving no trace of it. */
void store_layer(int fd, const char *blob, const char *diff);
/* an image's config saved as id's, and ref (NAME[:TAG]) made to name it */
void store_save(const char *id, const char *config, size_t len,
    const char *ref);
/* 0 if ref can name an image */
int store_valid_ref(const char *ref);
/* the id that ref (NAME[:TAG], an id, or 12 or more of its first hex
 * digits) names; -1 if none */
int store_find(const char *ref, char id[65]);
/* id's config, parsed; or dies */
struct json *store_config(const char *id);
/* for the verbs: a tag's file for ref, and the id a tag's file holds
 * (-1 if none); tmp's leftovers removed (by prune, owning the store) */
const char *store_tag_file(const char *ref, char *buf, size_t n);
int store_tag_id(const char *file, char id[65]);
void store_prune_tmp(void);
/* the store's lock, shared (an import, a run) for as long as the
 * process lives; or owned (prune), or dies saying who has it */
void store_share(void);
void store_own(void);
/* one of its directories (layers, images, tags, tmp), to read; or dies */
DIR *store_dir(const char *sub);
/* the 64 hex digits of a digest "sha256:HEX"; NULL if it is none */
const char *store_hex(const char *digest);
/* 0, with id, if name is an image's record in images */
int store_image_id(const char *name, char id[65]);
/* removes the tree name below dir */
void store_remove(int dir, const char *name);
