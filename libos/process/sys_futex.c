/* libos/process/sys_futex.c — futex: app threads are host threads in one host address space, so
 * the host's futex is exactly Linux's; the LibOS only checks that every address is app memory.
 * (Interruption by app signals comes with the signal subsystem's restart windows.) */
#include "process.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../signal/signal.h"

#define FUTEX_CMD_MASK 0x7f	/* without FUTEX_PRIVATE_FLAG (128) and FUTEX_CLOCK_REALTIME (256) */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_FD 2
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_CMP_REQUEUE_PI 12
#define FUTEX_LOCK_PI2 13

/* An address the host would accept but that is the runtime's, not the app's: the LibOS answers
 * EFAULT itself. Addresses the host refuses anyway (misaligned, kernel) are left to it, so its
 * order of checks is Linux's. */
static int runtime_word(const uint32_t *uaddr)
{
	uint64_t a = (uint64_t)uaddr;
	return !(a & 3) && access_ok(uaddr, 4) && !uaccess_ok(a, 4);
}

long sys_futex(uint32_t *uaddr, int op, uint32_t val, unsigned long timeout_or_val2,
	       uint32_t *uaddr2, uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	int has_timeout = 0, has_uaddr2 = 0;
	switch (cmd) {
	case FUTEX_WAIT: case FUTEX_WAIT_BITSET: case FUTEX_LOCK_PI: case FUTEX_LOCK_PI2:
		has_timeout = 1;
		break;
	case FUTEX_WAIT_REQUEUE_PI:
		has_timeout = has_uaddr2 = 1;
		break;
	case FUTEX_REQUEUE: case FUTEX_CMP_REQUEUE: case FUTEX_WAKE_OP: case FUTEX_CMP_REQUEUE_PI:
		has_uaddr2 = 1;
		break;
	case FUTEX_WAKE: case FUTEX_UNLOCK_PI: case FUTEX_TRYLOCK_PI: case FUTEX_WAKE_BITSET:
		break;
	default:
		return -ENOSYS;	/* Linux's do_futex; FUTEX_FD is gone since 2.6.26 */
	}
	/* Linux reads the timeout before anything else; the host reads it, so it must be the app's.
	 * The op check (FUTEX_CLOCK_REALTIME only on waits: ENOSYS) comes after, from the host. */
	if (has_timeout && timeout_or_val2 && !uaccess_ok(timeout_or_val2, 16))
		return -EFAULT;
	if (runtime_word(uaddr) || (has_uaddr2 && runtime_word(uaddr2)))
		return -EFAULT;
	long r = sig_block_begin();	/* waits sleep: a signal must wake them */
	return r ? r : sig_block_end(pal_block_futex(uaddr, op, val, timeout_or_val2, uaddr2, val3));
}

long sys_get_robust_list(int pid, void *uhead, void *ulen)
{
	struct libos_thread *t = thread_current();
	if (pid != 0 && pid != t->tid)
		return -ESRCH;
	if (copy_to_user(uhead, &t->robust_list, 8) < 0 || copy_to_user(ulen, &t->robust_len, 8) < 0)
		return -EFAULT;
	return 0;
}
