/* libos/process/sys_random.c — getrandom: host randomness straight into the app's buffer. */
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../pal/pal.h"

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4

long sys_getrandom(void *buf, size_t count, unsigned flags)
{
	if (flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_RANDOM) && (flags & GRND_INSECURE))
		return -EINVAL;
	if (count > 0x1ffffff)
		count = 0x1ffffff;
	if (!uaccess_ok((uint64_t)buf, count))
		return -EFAULT;
	return pal_getrandom(buf, count, flags);
}
