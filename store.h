/* See LICENSE file for copyright and license details. */
/* the image store: see store.c */

#include <dirent.h>

struct json;

/* the store's directory, opened (made if missing) and checked private */
int store_open(void);
const char *store_path(void);

/* the ranges (first host id, count) of --map-users and --map-groups,
 * whose ids the layers unpacked from now on keep (NULL: the caller's
 * ids); each is a variant of the layer, of its own name */
void store_ids(const unsigned long *subuid, const unsigned long *subgid);
/* the name below layers/ of the layer hex, as store_ids made it:
 * HEX[-uFIRST+COUNT][-gFIRST+COUNT] */
#define LAYERNAME_MAX 160
const char *store_layer_name(char *buf, size_t n, const char *hex);
/* removes a layer's tree (or tmp/NAME), as the owner of its ids */
void store_remove_layer(int dir, const char *name);

/* the layer diff (64 hex digits) unpacked from the blob open on fd (gzip
 * or plain), once: done if it is there; blob, if not NULL, the digest
 * the blob must have. Dies on a mismatch, leaving no trace of it. */
void store_layer(int fd, const char *blob, const char *diff);
/* id's config, parsed; or dies */
struct json *store_config(const char *id);
/* tmp's leftovers removed (by prune, owning the store) */
void store_prune_tmp(void);
/* the store's lock, shared (an import, a run) for as long as the
 * process lives; or owned (prune), or dies saying who has it */
void store_share(void);
void store_own(void);
/* one of its directories (layers, images, tags, tmp), to read; or dies */
DIR *store_dir(const char *sub);
/* one of them, opened as a directory; or dies */
int store_sub(const char *sub);
/* the 64 hex digits of a digest "sha256:HEX"; NULL if it is none */
const char *store_hex(const char *digest);
/* removes the tree name below dir */
void store_remove(int dir, const char *name);
