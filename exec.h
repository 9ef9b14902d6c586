/* See LICENSE file for copyright and license details. */
/* sbx exec's plan: see exec.c */
struct plan;


/* p: the plan of the sandbox that x (sbx exec's own) names, changed as
 * x asks, with the namespaces to join and init's environment; or dies */
void exec_plan(const struct plan *x, struct plan *p);
