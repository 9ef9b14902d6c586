/* See LICENSE file for copyright and license details. */
/*
 * pax.c: what one tar entry is, and pax records onto it; for tar.c, the
 * reader, which includes this. It reads no input and never dies.
 */
#include <limits.h>
#include <stddef.h>

/* bounds: the pax records of one header; one entry's extended
 * attributes, their count and their bytes */
#define TAR_PAX_MAX (1UL << 20)
#define TAR_XATTRS 64
#define TAR_XATTR_BYTES 65536

struct tar_xattr {
	const char *name, *value; /* name NUL-terminated; value len bytes */
	size_t len;
};

/*
 * One entry, valid until the next tar_next. type: '0' a file ('\0' and
 * '7' become '0'), '1' a hard link (link is a name in the archive), '2'
 * a symlink, '3' char and '4' block device, '5' a directory, '6' a fifo;
 * any other byte as the archive has it. name (and a hard link's link)
 * has its leading "./" and "/" and its trailing "/" stripped ("." is the
 * top); ".." is kept, for the unpacker to refuse. size is what tar_read
 * gives: 0 but for files and unknown types.
 */
struct tar_entry {
	char name[PATH_MAX];
	char link[PATH_MAX];
	char type;
	unsigned mode, uid, gid;
	long long size, mtime;
	long nsec;
	int nxattr;                            /* SCHILY.xattr.NAME records */
	struct tar_xattr xattr[TAR_XATTRS];
	size_t xused;                          /* of xbuf, which they use */
	char xbuf[TAR_XATTR_BYTES];
};

/* which of an entry's fields records have set (global ones) */
enum { P_PATH = 1, P_LINK = 2, P_SIZE = 4, P_UID = 8, P_GID = 16,
	P_MTIME = 32 };

/* n bytes of records at buf (changed in place) onto e: NULL, or why not.
 * set: NULL for an entry's own records, in which an empty value is no
 * value; for global ones, the mask of fields they hold, which an empty
 * value clears. A later record of a name wins, xattrs' too. */
const char *pax_apply(struct tar_entry *e, unsigned *set, char *buf,
    size_t n);
/* the fields of g that set has, and all g's xattrs, onto e */
void pax_onto(struct tar_entry *e, const struct tar_entry *g, unsigned set);
