/* libos/vm/sys_memfd.c — memfd_create: an anonymous file backed by a host memfd, so its pages
 * are shared by every mapping and every process that holds it (across fork too); sealing is the
 * host's. Its name is "/memfd:NAME (deleted)", as Linux shows it. */
#include "vm_internal.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../fs/fs.h"
#include "../../lib/format.h"
#include "../../pal/pal.h"

#define MFD_CLOEXEC_ 0x1u
#define MFD_ALLOW_SEALING_ 0x2u
#define MFD_HUGETLB_ 0x4u
#define MFD_NOEXEC_SEAL_ 0x8u
#define MFD_EXEC_ 0x10u
#define MFD_HUGE_BITS_ (0x3fu << 26)

long sys_memfd_create(const char *uname, unsigned flags)
{
	if (flags & ~(MFD_CLOEXEC_ | MFD_ALLOW_SEALING_ | MFD_HUGETLB_ | MFD_NOEXEC_SEAL_ | MFD_EXEC_ |
		      MFD_HUGE_BITS_))
		return -EINVAL;
	if ((flags & MFD_HUGE_BITS_) && !(flags & MFD_HUGETLB_))
		return -EINVAL;
	if ((flags & MFD_NOEXEC_SEAL_) && (flags & MFD_EXEC_))
		return -EINVAL;
	char name[250];
	long n = strncpy_from_user(name, uname, sizeof(name));
	if (n == -ENAMETOOLONG)
		return -EINVAL;	/* longer than NAME_MAX less "memfd:" */
	if (n < 0)
		return n;
	/* Huge pages are a hint the host may not be able to honour: ordinary pages instead. */
	long hfd = PAL_CALL2(__NR_memfd_create, name,
			     MFD_CLOEXEC_ | (flags & (MFD_ALLOW_SEALING_ | MFD_NOEXEC_SEAL_ | MFD_EXEC_)));
	if (hfd < 0)
		return hfd;
	char path[280];
	fmt_snprintf(path, sizeof(path), "/memfd:%s (deleted)", name);
	struct file *f = file_new(&host_file_ops, (int)hfd, 2 /* O_RDWR */, path);
	if (!f) {
		pal_close((int)hfd);
		return -ENOMEM;
	}
	f->type = NODE_REG;
	long fd = fd_install(f, (flags & MFD_CLOEXEC_) != 0, 0);
	if (fd < 0)
		file_put(f);
	return fd;
}
