/* See LICENSE file for copyright and license details. */
/*
 * unpack.c: one OCI layer's tar written beneath a directory descriptor,
 * fd-relative; never through a symlink, never outside it. It may die().
 */

/* what an entry costs against maxbytes beside its data (a header's
 * worth), so a layer of a million empty files is bounded too */
#define UNPACK_ENTRY_COST 512ULL

struct unpack_opts {
	const char *label;           /* for messages: the layer's digest */
	unsigned long long maxbytes; /* file data plus UNPACK_ENTRY_COST per
	                              * entry; 0: no bound */
	int keep_owners;             /* UNPACK_UIDS, UNPACK_GIDS: the
	                              * archive's ids (in a user namespace
	                              * with ranges mapped), with the setuid
	                              * or setgid bit; else the caller's */
};

#define UNPACK_UIDS 1
#define UNPACK_GIDS 2

/*
 * Unpacks t beneath dirfd (a directory opened for reading, not O_PATH),
 * or dies naming o->label and the entry. Names with ".." and symlinks or
 * files on the way are refused; missing directories are made; a hard
 * link is to an earlier entry's file; a later entry replaces an earlier
 * one of its name (a directory stays one). Device nodes are skipped with
 * one warning. OCI whiteouts become overlayfs's, as a mount with
 * userxattr reads them: ".wh.NAME" a 0:0 character device NAME, and
 * ".wh..wh..opq" user.overlay.opaque=y on its directory. xattrs are set
 * on files and directories, except overlay's own (a layer must not make
 * its own redirects or whiteouts) and, unless keep_owners, file
 * capabilities (as the setuid bit); one the filesystem or the kernel
 * refuses (ENOTSUP, EPERM, EACCES, EINVAL, E2BIG, ERANGE) is dropped
 * quietly, as trusted.* and security.* are for an unprivileged caller.
 * Directories get their modes and times last.
 */
void unpack(int dirfd, struct tar *t, const struct unpack_opts *o);
