/* libos/process/sys_arch_prctl.c — arch_prctl: the app's %fs base is the host thread's (the
 * LibOS never uses %fs); %gs belongs to the LibOS and is refused. */
#include "process.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include <asm/prctl.h>

long sys_arch_prctl(int code, unsigned long addr)
{
	uint64_t v;
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= 0x7ffffffff000ull)
			return -EPERM;
		return pal_set_fs(addr);
	case ARCH_GET_FS:
		pal_get_fs(&v);
		return copy_to_user((void *)addr, &v, sizeof(v));
	case ARCH_SET_GS:
		return -EPERM;	/* %gs holds the LibOS's thread pointer */
	case ARCH_GET_GS:
		v = 0;
		return copy_to_user((void *)addr, &v, sizeof(v));
	case ARCH_GET_CPUID:
		return 1;
	case ARCH_SET_CPUID:
		return addr ? 0 : -ENODEV;
	default:
		return -EINVAL;
	}
}
