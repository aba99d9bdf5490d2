/* libos/entry/usercopy.c — range checks in front of the fault-tolerant copy cores. A range is
 * app memory when it does not wrap, lies below the top of the lower canonical half, and does not
 * touch a range the runtime reserved for itself (its image, heap, stacks). */
#include "usercopy.h"
#include "../errno.h"
#include "../../lib/spinlock.h"

#define TASK_SIZE 0x7ffffffff000ull
#define MAX_RESERVED 128

long uaccess_copy(void *dst, const void *src, size_t n);
long uaccess_clear(void *dst, size_t n);
long uaccess_strncpy(char *dst, const char *src, size_t max);
extern char uaccess_begin[], uaccess_end[], uaccess_fault[];

static struct {
	struct spinlock lock;
	int n;
	uint64_t start[MAX_RESERVED], end[MAX_RESERVED];
} reserved;

void uaccess_reserve(uint64_t start, uint64_t end)
{
	spin_lock(&reserved.lock);
	if (reserved.n < MAX_RESERVED) {
		reserved.start[reserved.n] = start;
		reserved.end[reserved.n] = end;
		reserved.n++;
	}
	spin_unlock(&reserved.lock);
}

int uaccess_ok(uint64_t addr, size_t n)
{
	uint64_t end = addr + n;
	if (end < addr || end > TASK_SIZE)
		return 0;
	for (int i = 0; i < reserved.n; i++)
		if (addr < reserved.end[i] && end > reserved.start[i])
			return 0;
	return 1;
}

uint64_t uaccess_fixup(uint64_t rip)
{
	if (rip >= (uint64_t)uaccess_begin && rip < (uint64_t)uaccess_end)
		return (uint64_t)uaccess_fault;
	return 0;
}

long copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!uaccess_ok((uint64_t)usrc, n))
		return -EFAULT;
	return n ? uaccess_copy(dst, usrc, n) : 0;
}

long copy_to_user(void *udst, const void *src, size_t n)
{
	if (!uaccess_ok((uint64_t)udst, n))
		return -EFAULT;
	return n ? uaccess_copy(udst, src, n) : 0;
}

long clear_user(void *udst, size_t n)
{
	if (!uaccess_ok((uint64_t)udst, n))
		return -EFAULT;
	return n ? uaccess_clear(udst, n) : 0;
}

long strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	if (max == 0)
		return -ENAMETOOLONG;
	/* Check only the first byte's address here: the string may end well before max, and the
	 * copy core faults cleanly if it runs into unmapped memory. It must not run into the
	 * runtime's memory, so clamp max to the distance to the nearest reserved range above. */
	uint64_t a = (uint64_t)usrc;
	if (!uaccess_ok(a, 1))
		return -EFAULT;
	uint64_t limit = TASK_SIZE - a;
	for (int i = 0; i < reserved.n; i++)
		if (reserved.start[i] > a && reserved.start[i] - a < limit)
			limit = reserved.start[i] - a;
	size_t m = max < limit ? max : limit;
	long r = uaccess_strncpy(dst, usrc, m);
	if (r < 0)
		return r;
	if ((size_t)r == m) {
		if (m < max)
			return -EFAULT;	/* ran into memory that is not the app's */
		return -ENAMETOOLONG;
	}
	return r;
}
