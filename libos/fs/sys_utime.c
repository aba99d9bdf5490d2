/* libos/fs/sys_utime.c — utime, utimes, futimesat: the old second- and microsecond-resolution
 * calls, converted to timespecs and handed to utimensat's path; NULL times stay NULL ("now"). */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include <linux/fcntl.h>

struct kts { long sec, nsec; };

/* futimesat and utimes: two struct timeval, each tv_usec in [0, 1000000). */
long sys_futimesat(int dirfd, const char *upath, const void *utv)
{
	struct { long sec, usec; } tv[2];
	struct kts ts[2];
	if (utv) {
		if (copy_from_user(tv, utv, sizeof(tv)) < 0)
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (tv[i].usec < 0 || tv[i].usec >= 1000000)
				return -EINVAL;
			ts[i] = (struct kts){ tv[i].sec, tv[i].usec * 1000 };
		}
	}
	/* A NULL path names dirfd itself, except for AT_FDCWD, where Linux reads the NULL path. */
	if (!upath && dirfd == AT_FDCWD)
		return -EFAULT;
	return fs_utimensat(dirfd, upath, utv ? ts : NULL, 0);
}

long sys_utimes(const char *upath, const void *utv)
{
	return sys_futimesat(AT_FDCWD, upath, utv);
}

/* utime: struct utimbuf { actime, modtime } in whole seconds. */
long sys_utime(const char *upath, const void *ubuf)
{
	long t[2];
	struct kts ts[2];
	if (ubuf) {
		if (copy_from_user(t, ubuf, sizeof(t)) < 0)
			return -EFAULT;
		ts[0] = (struct kts){ t[0], 0 };
		ts[1] = (struct kts){ t[1], 0 };
	}
	if (!upath)
		return -EFAULT;
	return fs_utimensat(AT_FDCWD, upath, ubuf ? ts : NULL, 0);
}
