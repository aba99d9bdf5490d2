/* libos/entry/usercopy.h — the only ways the LibOS touches app memory. Each returns 0 (or a
 * length) on success and -EFAULT when the range is not app memory or faults; the LibOS never
 * crashes on a bad app pointer. As in Linux, a copy of 0 bytes succeeds at any address. */
#ifndef LIBOS_USERCOPY_H
#define LIBOS_USERCOPY_H

#include <stddef.h>
#include <stdint.h>

long copy_from_user(void *dst, const void *usrc, size_t n);
long copy_to_user(void *udst, const void *src, size_t n);
long clear_user(void *udst, size_t n);
/* Copies a NUL-terminated string of at most max-1 bytes; returns its length, -EFAULT, or
 * -ENAMETOOLONG if no NUL is found within max bytes. */
long strncpy_from_user(char *dst, const char *usrc, size_t max);
/* True if [addr, addr+n) could be app memory (no wrap, below the kernel half, not the runtime). */
int uaccess_ok(uint64_t addr, size_t n);
/* The same for one byte, from a host signal handler: never waits for a writer (0 if one is busy). */
int uaccess_ok_nowait(uint64_t addr);

/* Linux's access_ok: the range lies below the top of user space (mapped or not). Calls check
 * it before anything else, so a kernel address fails even for 0 bytes. */
static inline int access_ok(const void *p, size_t n)
{
	uint64_t a = (uint64_t)p;
	return a < 0x7ffffffff000ull && a + n >= a && a + n <= 0x7ffffffff000ull;
}

/* Ranges of the host address space that belong to the runtime, not the app. */
void uaccess_reserve(uint64_t start, uint64_t end);
/* If the fault at `rip` happened inside a user-copy routine, returns the fixup address. */
uint64_t uaccess_fixup(uint64_t rip);

struct spinlock;
/* The reserved-range set's lock (fork.c takes it around a host fork). */
struct spinlock *uaccess_lock(void);

#endif
