/* libos/process/process.c — the current process's identity and resource limits, and the
 * per-thread set-up every new LibOS thread goes through. */
#include "process.h"
#include "../vm/vm.h"
#include "../errno.h"
#include "../config.h"
#include "../fs/fs.h"
#include "../signal/frame.h"
#include "../../lib/alloc.h"
#include <linux/resource.h>

struct libos_process proc0;

void proc_init_first(struct libos_thread *main)
{
	proc0.sig = &sigs0;
	proc0.files = &fdt0;
	proc0.cwd[0] = '/';
	proc0.tmp_root_fd = -1;
	proc0.host_pid = (int)pal_getpid();
	proc0.prctl.dumpable = 1;
	main->self = main;
	main->process = &proc0;
	pal_set_thread_area(main);	/* from here on `proc` is proc0 */
}

int proc_current_pid(void)
{
	return proc.pid;
}

long thread_alloc_stack(struct libos_thread *t)
{
	if (t->altstack)
		return 0;
	long p = vm_runtime_map(THREAD_STACK_SIZE, 3 /* RW */, 0x22 /* PRIVATE|ANON */, -1, 0, 0, 0);
	if (p < 0)
		return p;
	t->altstack = (void *)p;
	t->altstack_size = THREAD_STACK_SIZE;
	return 0;
}

long thread_setup_current(struct libos_thread *t, int tid)
{
	t->self = t;
	t->tid = tid;
	long r = thread_alloc_stack(t);
	if (r < 0)
		return r;
	/* The fast path and the trap path share this stack: when a host signal arrives while the
	 * fast path runs on it, the kernel sees rsp inside the alternate stack and nests below. */
	t->kstack_top = ((uint64_t)t->altstack + t->altstack_size) & ~15ull;
	t->host_tid = (int)PAL_CALL0(__NR_gettid);
	r = pal_set_thread_area(t);
	if (r == 0)
		r = pal_set_altstack(t->altstack, t->altstack_size);
	return r;
}

void proc_init_rlimits(void)
{
	const uint64_t inf = ~0ull;
	for (int i = 0; i < RLIM_NLIMITS_LINUX; i++)
		proc.rlim[i] = (struct proc_rlimit){ inf, inf };
	proc.rlim[RLIMIT_STACK] = (struct proc_rlimit){ cfg->default_stack_size, inf };
	proc.rlim[RLIMIT_CORE] = (struct proc_rlimit){ 0, inf };
	proc.rlim[RLIMIT_NOFILE] = (struct proc_rlimit){ cfg->max_open_files, cfg->max_open_files };
	proc.rlim[RLIMIT_NPROC] = (struct proc_rlimit){ cfg->max_num_of_threads, cfg->max_num_of_threads };
	proc.rlim[RLIMIT_MEMLOCK] = (struct proc_rlimit){ 8u << 20, 8u << 20 };
	proc.rlim[RLIMIT_AS] = (struct proc_rlimit){ inf, inf };
	proc.rlim[RLIMIT_SIGPENDING] = (struct proc_rlimit){ 63704, 63704 };
	proc.rlim[RLIMIT_MSGQUEUE] = (struct proc_rlimit){ 819200, 819200 };
	proc.rlim[RLIMIT_RTPRIO] = (struct proc_rlimit){ 0, 0 };
	proc.rlim[RLIMIT_NICE] = (struct proc_rlimit){ 0, 0 };
}
