/* See LICENSE file for copyright and license details. */
/* the verbs on the image store: see images.c */

/* each returns what sbx exits with, or dies */
struct plan;

/* SRC [NAME[:TAG]], with the plan's --map-users and --map-groups: prints
 * the id */
int images_import(const struct plan *p);
int images_list(int json);
int images_remove(char **words);
int images_prune(void);
