/* See LICENSE file for copyright and license details. */
/* known causes of failures: see hint.c */

/* the hint for a message body that failed with err in step (NULL: none),
 * or NULL */
const char *hint(const char *step, const char *body, int err);
