/* libos/process/sys_process_vm.c — process_vm_readv and process_vm_writev between processes of
 * the instance: Linux's checks here, the copying by the host call on the target's host process.
 * Local buffers, and remote ones in the caller's own process, must be app memory (never the
 * runtime's). Gap: in another process a remote range is not checked against that process's
 * runtime memory (its reservations live in its own memory). */
#include "process.h"
#include "pidfd.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../../lib/alloc.h"

#define UIO_MAXIOV 1024
#define MAX_RW_COUNT 0x7ffff000ul
#define PAGE 4096ul

struct kiovec {
	uint64_t base, len;
};

/* Copies an iovec array as Linux's iovec_from_user: too many EINVAL, unreadable EFAULT, a
 * length above SSIZE_MAX EINVAL. */
static long iov_copy(const void *uvec, unsigned long cnt, struct kiovec **out)
{
	if (cnt > UIO_MAXIOV)
		return -EINVAL;
	struct kiovec *v = heap_alloc(sizeof(*v) * (cnt ? cnt : 1));
	if (!v)
		return -ENOMEM;
	long r = copy_from_user(v, uvec, sizeof(*v) * cnt) < 0 ? -EFAULT : 0;
	for (unsigned long i = 0; r == 0 && i < cnt; i++)
		if ((int64_t)v[i].len < 0)
			r = -EINVAL;
	if (r < 0) {
		heap_free(v);
		return r;
	}
	*out = v;
	return 0;
}

/* import_iovec for the caller's side: the total is capped at MAX_RW_COUNT (later segments
 * shortened), each segment must be app memory. Returns the total or -errno. */
static long local_check(struct kiovec *v, unsigned long cnt)
{
	uint64_t total = 0;
	for (unsigned long i = 0; i < cnt; i++) {
		if (v[i].len > MAX_RW_COUNT - total)
			v[i].len = MAX_RW_COUNT - total;
		if (!access_ok((void *)v[i].base, v[i].len) ||
		    (v[i].len && !uaccess_ok(v[i].base, v[i].len)))
			return -EFAULT;
		total += v[i].len;
	}
	return (long)total;
}

/* Remote ranges in the caller's own process are checked like local ones: the runtime's memory
 * there is not app memory (it reads as unmapped, EFAULT). */
static int remote_self_ok(const struct kiovec *v, unsigned long cnt)
{
	for (unsigned long i = 0; i < cnt; i++)
		if (v[i].len && !uaccess_ok(v[i].base, v[i].len))
			return 0;
	return 1;
}

static long process_vm_rw(int pid, const void *ulvec, unsigned long lcnt, const void *urvec,
			  unsigned long rcnt, unsigned long flags, int write)
{
	if (flags)
		return -EINVAL;
	struct kiovec *lv, *rv = NULL;
	long r = iov_copy(ulvec, lcnt, &lv);
	if (r < 0)
		return r;
	if ((r = local_check(lv, lcnt)) <= 0)	/* nothing to move: Linux looks no further */
		goto out;
	if ((r = iov_copy(urvec, rcnt, &rv)) < 0)
		goto out;
	int pages = 0;
	for (unsigned long i = 0; i < rcnt; i++)
		pages |= rv[i].len > 0;
	r = 0;
	if (!pages)
		goto out;
	int tgid;
	struct sh_proc *p = sh_lookup(pid, &tgid);
	int host_pid = p ? __atomic_load_n(&p->host_pid, __ATOMIC_ACQUIRE) : 0;
	if (!p || __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) != SP_ALIVE || host_pid <= 0)
		r = -ESRCH;	/* a zombie has no memory left */
	else if (!proc_may_access(p))
		r = -EPERM;
	else if (p == sh_self && !remote_self_ok(rv, rcnt))
		r = -EFAULT;	/* our own memory: the runtime's is not the app's to reach */
	else
		r = PAL_CALL6(write ? __NR_process_vm_writev : __NR_process_vm_readv, host_pid, lv, lcnt,
			      rv, rcnt, 0);
out:
	heap_free(lv);
	heap_free(rv);
	return r;
}

long sys_process_vm_readv(int pid, const void *lvec, unsigned long lcnt, const void *rvec,
			  unsigned long rcnt, unsigned long flags)
{
	return process_vm_rw(pid, lvec, lcnt, rvec, rcnt, flags, 0);
}

long sys_process_vm_writev(int pid, const void *lvec, unsigned long lcnt, const void *rvec,
			   unsigned long rcnt, unsigned long flags)
{
	return process_vm_rw(pid, lvec, lcnt, rvec, rcnt, flags, 1);
}
