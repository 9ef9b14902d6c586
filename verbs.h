/* See LICENSE file for copyright and license details. */
/* the verbs on named sandboxes: see verbs.c */

/* each returns what sbx exits with, or dies */
int verb_ps(int json);
int verb_kill(const char *name, int sig);
int verb_stop(const char *name, long ms);
int verb_wait(const char *name);
