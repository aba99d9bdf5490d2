/* libos/entry/usercopy.c — range checks in front of the fault-tolerant copy cores. A range is
 * app memory when it does not wrap, lies below the top of the lower canonical half, and does not
 * touch a range the runtime reserved for itself (its image, heap, stacks). */
#include "usercopy.h"
#include "../errno.h"
#include "../../lib/spinlock.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include "../log.h"

#define TASK_SIZE 0x7ffffffff000ull

long uaccess_copy(void *dst, const void *src, size_t n);
long uaccess_clear(void *dst, size_t n);
long uaccess_strncpy(char *dst, const char *src, size_t max);
extern char uaccess_begin[], uaccess_end[], uaccess_fault[];

/* The reserved ranges: sorted by start, merged, disjoint. Readers run lock-free under a sequence
 * count (odd while a writer changes the array) and retry if it moved; a writer that needs room
 * publishes a larger array and keeps the old one allocated, so a reader still walking it never
 * touches freed memory (growth doubles: what is kept stays below the live array's size). */
static struct {
	struct spinlock lock;
	unsigned seq;
	int n, cap;
	uint64_t (*r)[2];
	uint64_t first[64][2];
} rs = { .cap = 64 };

/* The first range ending above addr, or n. */
static int first_above(uint64_t (*r)[2], int n, uint64_t addr)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (r[mid][1] > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

void uaccess_reserve(uint64_t start, uint64_t end)
{
	spin_lock(&rs.lock);
	uint64_t (*r)[2] = rs.r ? rs.r : rs.first;
	if (rs.n == rs.cap) {
		uint64_t (*nr)[2] = heap_alloc(sizeof(*nr) * (size_t)rs.cap * 2);
		if (!nr)
			libos_panic("out of LibOS memory recording a reserved range");
		memcpy(nr, r, sizeof(*nr) * (size_t)rs.n);
		__atomic_store_n(&rs.r, nr, __ATOMIC_RELEASE);	/* old array stays valid for readers */
		rs.cap *= 2;
		r = nr;
	}
	__atomic_add_fetch(&rs.seq, 1, __ATOMIC_ACQ_REL);	/* odd: readers wait and retry */
	int i = first_above(r, rs.n, start);
	if (i > 0 && r[i - 1][1] == start)	/* touches the range before: merge */
		i--;
	int j = i;
	while (j < rs.n && r[j][0] <= end) {	/* absorb what overlaps or touches */
		if (r[j][0] < start)
			start = r[j][0];
		if (r[j][1] > end)
			end = r[j][1];
		j++;
	}
	memmove(r + i + 1, r + j, sizeof(*r) * (size_t)(rs.n - j));
	r[i][0] = start;
	r[i][1] = end;
	rs.n = rs.n - (j - i) + 1;
	__atomic_add_fetch(&rs.seq, 1, __ATOMIC_RELEASE);
	spin_unlock(&rs.lock);
}

/* The first reserved range ending above addr: 1 and *out if there is one; -1 if a writer was busy
 * and try_once is set. */
static int lookup(uint64_t addr, uint64_t out[2], int try_once)
{
	for (;;) {
		unsigned s = __atomic_load_n(&rs.seq, __ATOMIC_ACQUIRE);
		if (!(s & 1)) {
			uint64_t (*r)[2] = __atomic_load_n(&rs.r, __ATOMIC_ACQUIRE);
			int n = __atomic_load_n(&rs.n, __ATOMIC_RELAXED);
			if (!r)
				r = rs.first;
			int i = first_above(r, n, addr);
			int found = i < n;
			if (found) {
				out[0] = r[i][0];
				out[1] = r[i][1];
			}
			__atomic_thread_fence(__ATOMIC_ACQUIRE);
			if (__atomic_load_n(&rs.seq, __ATOMIC_RELAXED) == s)
				return found;
		}
		if (try_once)
			return -1;
		__builtin_ia32_pause();
	}
}

int uaccess_ok(uint64_t addr, size_t n)
{
	uint64_t end = addr + n, r[2];
	if (end < addr || end > TASK_SIZE)
		return 0;
	return !(lookup(addr, r, 0) == 1 && r[0] < (n ? end : addr + 1));
}

int uaccess_ok_nowait(uint64_t addr)
{
	uint64_t r[2];
	if (addr >= TASK_SIZE)
		return 0;
	int f = lookup(addr, r, 1);
	return f == 0 || (f == 1 && r[0] > addr);
}

uint64_t uaccess_fixup(uint64_t rip)
{
	if (rip >= (uint64_t)uaccess_begin && rip < (uint64_t)uaccess_end)
		return (uint64_t)uaccess_fault;
	return 0;
}

/* As in Linux, copying 0 bytes succeeds whatever the address (rt_sigpending(kernel address, 0)
 * is 0): a call that must refuse a bad pointer even for 0 bytes checks access_ok itself. */
long copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!n)
		return 0;
	if (!uaccess_ok((uint64_t)usrc, n))
		return -EFAULT;
	return uaccess_copy(dst, usrc, n);
}

long copy_to_user(void *udst, const void *src, size_t n)
{
	if (!n)
		return 0;
	if (!uaccess_ok((uint64_t)udst, n))
		return -EFAULT;
	return uaccess_copy(udst, src, n);
}

long clear_user(void *udst, size_t n)
{
	if (!n)
		return 0;
	if (!uaccess_ok((uint64_t)udst, n))
		return -EFAULT;
	return uaccess_clear(udst, n);
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
	uint64_t limit = TASK_SIZE - a, above[2];
	if (lookup(a, above, 0) == 1 && above[0] - a < limit)	/* a is below it: uaccess_ok said so */
		limit = above[0] - a;
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

struct spinlock *uaccess_lock(void)
{
	return &rs.lock;
}
