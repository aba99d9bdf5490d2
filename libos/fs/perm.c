/* libos/fs/perm.c — the discretionary access check every file system shares: owner, group and
 * other bits against the caller's fs ids and groups, then the capabilities that override them. */
#include "fs.h"
#include "../errno.h"
#include "../process/cred.h"

long fs_permission(uint32_t mode, uint32_t uid, uint32_t gid, int mask)
{
	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	uint32_t bits = mode;
	if (uid == cred_fsuid())
		bits >>= 6;
	else if (cred_in_group(gid))
		bits >>= 3;
	if ((mask & ~bits & 7) == 0)
		return 0;
	/* The bits said no; a capability may still say yes (Linux's order: read/search for
	 * directories, read for files, then the override, which never grants executing a file
	 * that has no x bit at all). */
	if ((mode & S_IFMT) == S_IFDIR) {
		if (!(mask & MAY_WRITE) && cred_capable(CAP_DAC_READ_SEARCH))
			return 0;
		return cred_capable(CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if (mask == MAY_READ && cred_capable(CAP_DAC_READ_SEARCH))
		return 0;
	if ((!(mask & MAY_EXEC) || (mode & 0111)) && cred_capable(CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}
