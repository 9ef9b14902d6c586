/* See LICENSE file for copyright and license details. */
/* the -i front end: see image.c */

struct plan;

/* fills p from the image p->image names: its layers as the root (and -o,
 * unless -R), then Entrypoint and Cmd, Env, WorkingDir and User where
 * the command line gave none; imports the image first if it is not in
 * the store. Dies if it cannot. */
void image_plan(struct plan *p);
