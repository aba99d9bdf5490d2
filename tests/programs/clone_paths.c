/* tests/programs/clone_paths.c — raw clone(CLONE_THREAD) from two call sites: `mov $56,%eax;
 * syscall`, which cella patches (the fast path), and the number loaded from memory, which it
 * cannot prove and so traps (the trap path). Each child runs on its own stack, sees 0 from clone
 * and its own tid, writes CHILD_SETTID, and its exit clears and wakes CHILD_CLEARTID; the parent
 * gets the tid back and in PARENT_SETTID, with its registers intact. */
#include "check.h"
#define FUTEX_WAIT 0	/* linux/futex.h, which musl-gcc cannot see */
#include <sched.h>
#include <stdint.h>

#define FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | \
	       CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)

/* long clone_xxx(flags, stack, ptid, ctid, tls): the child pops the function to run from its
 * new stack, calls it and exits the thread; the parent returns the tid. */
__asm__(".text\n"
	".globl clone_patched\n.type clone_patched,@function\nclone_patched:\n.cfi_startproc\n"
	"mov %rcx, %r10\n"
	"mov $56, %eax\n"
	"syscall\n"
	"test %rax, %rax\n"
	"jnz 1f\n"
	"pop %rax\n"
	"call *%rax\n"
	"mov $60, %eax\n"
	"xor %edi, %edi\n"
	"syscall\n"
	"ud2\n"
	"1: ret\n"
	".cfi_endproc\n.size clone_patched, .-clone_patched\n"
	".globl clone_trapped\n.type clone_trapped,@function\nclone_trapped:\n.cfi_startproc\n"
	"mov %rcx, %r10\n"
	"mov clone_nr(%rip), %eax\n"
	"syscall\n"
	"test %rax, %rax\n"
	"jnz 2f\n"
	"pop %rax\n"
	"call *%rax\n"
	"mov exit_nr(%rip), %eax\n"
	"xor %edi, %edi\n"
	"syscall\n"
	"ud2\n"
	"2: ret\n"
	".cfi_endproc\n.size clone_trapped, .-clone_trapped\n"
	".data\nclone_nr: .long 56\nexit_nr: .long 60\n.text\n");
long clone_patched(unsigned long flags, void *stack, int *ptid, int *ctid, unsigned long tls);
long clone_trapped(unsigned long flags, void *stack, int *ptid, int *ctid, unsigned long tls);

static volatile long child_tid_seen, child_ran;
static int ctid_word;

static void child(void)
{
	child_tid_seen = syscall(SYS_gettid);
	child_ran++;
}

static void run(const char *how, long (*fn)(unsigned long, void *, int *, int *, unsigned long))
{
	static char stacks[2][65536] __attribute__((aligned(16)));
	static int which;
	uint64_t *top = (uint64_t *)(stacks[which++] + sizeof(stacks[0]));
	*--top = 0;				/* keeps the child's calls 16-byte aligned */
	*--top = (uint64_t)(uintptr_t)child;	/* popped by the child */
	int ptid = 0;
	ctid_word = -1;
	long before = child_ran;
	register long r12 __asm__("r12") = 0x1212, r13 __asm__("r13") = 0x1313;
	__asm__ volatile("" : "+r"(r12), "+r"(r13));
	long tid = fn(FLAGS, top, &ptid, &ctid_word, 0);
	__asm__ volatile("" : "+r"(r12), "+r"(r13));
	if (tid <= 0)
		fail("%s: clone returned %ld", how, tid);
	if (r12 != 0x1212 || r13 != 0x1313)
		fail("%s: clone clobbered callee-saved registers", how);
	if (ptid != tid)
		fail("%s: CLONE_PARENT_SETTID wrote %d, clone returned %ld", how, ptid, tid);
	/* CHILD_CLEARTID: wait until the thread is gone (the word is the tid until then). */
	int v;
	while ((v = __atomic_load_n(&ctid_word, __ATOMIC_ACQUIRE)) != 0)
		syscall(SYS_futex, &ctid_word, FUTEX_WAIT, v, NULL, NULL, 0);
	if (child_ran != before + 1)
		fail("%s: the child did not run exactly once", how);
	if (child_tid_seen != tid || tid == getpid())
		fail("%s: the child's gettid %ld, clone's result %ld", how, child_tid_seen, tid);
	ok("%s: the thread ran on its own stack with its own tid, SETTID and CLEARTID as Linux", how);
}

int main(void)
{
	run("clone through a patchable site", clone_patched);
	run("clone through a trapped site", clone_trapped);
	/* Errors: CLONE_THREAD needs CLONE_SIGHAND, CLONE_SIGHAND needs CLONE_VM. */
	errno = 0;
	if (syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0) != -1 || errno != EINVAL)
		fail("CLONE_THREAD without CLONE_SIGHAND: expected EINVAL, got %s", errname(errno));
	errno = 0;
	if (syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0) != -1 || errno != EINVAL)
		fail("CLONE_SIGHAND without CLONE_VM: expected EINVAL, got %s", errname(errno));
	ok("clone flag combinations Linux refuses are EINVAL");
	return 0;
}
