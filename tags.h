/* See LICENSE file for copyright and license details. */
/* the store's names for images: see tags.c */

/* an image's config saved as id's, and ref (NAME[:TAG]) made to name it */
void tags_save(const char *id, const char *config, size_t len,
    const char *ref);
/* 0 if ref can name an image */
int tags_valid(const char *ref);
/* the id that ref (NAME[:TAG], an id, or 12 or more of its first hex
 * digits) names; -1 if none */
int tags_find(const char *ref, char id[65]);
/* for the verbs: a tag's file for ref, and the id a tag's file holds
 * (-1 if none) */
const char *tags_file(const char *ref, char *buf, size_t n);
int tags_id(const char *file, char id[65]);
/* what killed writes left (by prune, owning the store) */
void tags_prune(void);
/* 0, with id, if name is an image's record in images */
int tags_image_id(const char *name, char id[65]);
