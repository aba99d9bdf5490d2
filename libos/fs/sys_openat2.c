/* libos/fs/sys_openat2.c — openat2: struct open_how's size rules and its stricter flag checks
 * (unknown bits are EINVAL here, unlike openat), then the open path with the RESOLVE_ rules as
 * walk flags (namei.c). All argument checks come before the path is read, as on Linux. */
#include "fs.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include <linux/fcntl.h>

#define OPEN_HOW_SIZE_VER0 24
#define OPENAT2_PAGE 4096

#define VALID_OPENAT2_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | \
	O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | \
	O_NOATIME | O_CLOEXEC | O_PATH | __O_TMPFILE | __O_SYNC)
#define O_PATH_OK (O_DIRECTORY | O_NOFOLLOW | O_PATH)	/* O_CLOEXEC is stripped first */

#define R_NO_XDEV	0x01
#define R_NO_MAGICLINKS	0x02
#define R_NO_SYMLINKS	0x04
#define R_BENEATH	0x08
#define R_IN_ROOT	0x10
#define R_CACHED	0x20

struct open_how_k {
	uint64_t flags, mode, resolve;
};

/* Linux's copy_struct_from_user: a shorter struct is zero-extended, a longer one must have only
 * zero bytes past ours (E2BIG otherwise). */
static long copy_how(struct open_how_k *how, const void *uhow, size_t usize)
{
	*how = (struct open_how_k){ 0 };
	size_t n = usize < sizeof(*how) ? usize : sizeof(*how);
	if (copy_from_user(how, uhow, n) < 0)
		return -EFAULT;
	unsigned char tail[64];
	for (size_t at = sizeof(*how); at < usize; at += sizeof(tail)) {
		size_t k = usize - at < sizeof(tail) ? usize - at : sizeof(tail);
		if (copy_from_user(tail, (const char *)uhow + at, k) < 0)
			return -EFAULT;
		for (size_t i = 0; i < k; i++)
			if (tail[i])
				return -E2BIG;
	}
	return 0;
}

/* build_open_flags's checks, in its order. Returns the walk flags, or -errno. */
static long how_check(const struct open_how_k *how)
{
	uint64_t flags = how->flags & ~(uint64_t)O_CLOEXEC;
	if (flags & ~(uint64_t)VALID_OPENAT2_FLAGS)
		return -EINVAL;
	if (how->resolve & ~(uint64_t)(R_NO_XDEV | R_NO_MAGICLINKS | R_NO_SYMLINKS | R_BENEATH |
					 R_IN_ROOT | R_CACHED))
		return -EINVAL;
	if ((how->resolve & R_BENEATH) && (how->resolve & R_IN_ROOT))
		return -EINVAL;
	if (flags & (O_CREAT | __O_TMPFILE) ? how->mode & ~07777ull : how->mode != 0)
		return -EINVAL;
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return -EINVAL;
	if (flags & __O_TMPFILE) {
		if ((flags & (__O_TMPFILE | O_DIRECTORY | O_CREAT)) != (__O_TMPFILE | O_DIRECTORY))
			return -EINVAL;
		if ((flags & O_ACCMODE) == O_RDONLY)
			return -EINVAL;
	}
	if ((flags & O_PATH) && (flags & ~(uint64_t)O_PATH_OK))
		return -EINVAL;
	/* Every lookup here is as cheap as a cached one, so RESOLVE_CACHED only refuses what Linux
	 * never tries from the cache: creating, truncating and O_TMPFILE. */
	if ((how->resolve & R_CACHED) && (flags & (O_TRUNC | O_CREAT | __O_TMPFILE)))
		return -EAGAIN;
	long walk = 0;
	if (how->resolve & R_NO_XDEV)
		walk |= WALK_NO_XDEV;
	if (how->resolve & R_NO_MAGICLINKS)
		walk |= WALK_NO_MAGICLINKS;
	if (how->resolve & R_NO_SYMLINKS)
		walk |= WALK_NO_SYMLINKS;
	if (how->resolve & R_BENEATH)
		walk |= WALK_BENEATH;
	if (how->resolve & R_IN_ROOT)
		walk |= WALK_IN_ROOT;
	return walk;
}

long sys_openat2(int dirfd, const char *upath, const void *uhow, size_t usize)
{
	struct open_how_k how;
	if (usize < OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	if (usize > OPENAT2_PAGE)
		return -E2BIG;
	long r = copy_how(&how, uhow, usize);
	if (r < 0)
		return r;
	long walk = how_check(&how);
	if (walk < 0)
		return walk;
	return fs_open_install(dirfd, upath, (int)how.flags, (unsigned)how.mode, (int)walk);
}
