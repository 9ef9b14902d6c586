/* See LICENSE file for copyright and license details. */
enum { SBX_NO_USERNS = 1 }; /* also deny creating user namespaces */

/* installs the sandbox's filter; -1 with errno on failure */
int seccomp_install(int flags);
