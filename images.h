/* See LICENSE file for copyright and license details. */
/* the verbs on the image store: see images.c */

/* each returns what sbx exits with, or dies */
int images_import(char **words); /* SRC [NAME[:TAG]]: prints the id */
int images_list(int json);
int images_remove(char **words);
int images_prune(void);
