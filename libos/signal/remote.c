/* libos/signal/remote.c — signals that cross processes (see remote.h). A queued signal is taken by
 * its target at its next delivery point: the kick (host signal 64 to the target's host process)
 * interrupts app code or a blocking host call there, so it comes in microseconds. */
#include "remote.h"
#include "frame.h"
#include "../errno.h"
#include "../log.h"
#include "../process/process.h"
#include "../process/ptree.h"
#include "../../lib/mem.h"

long remote_post_locked(struct sh_proc *p, int tid, const struct ksiginfo *info)
{
	int sig = info->signo;
	if (sig < 32) {
		for (uint32_t i = 0; i < p->in_count; i++)
			if (p->in[i].info.signo == sig && p->in[i].tid == tid)
				return 0;	/* already on its way: standard signals coalesce */
	}
	if (p->in_count == SH_INQ) {
		if (sig >= 32)
			return -EAGAIN;
		int lost = (p->in_lost >> sig) & 1;
		p->in_lost |= 1u << sig;
		return !lost;
	}
	p->in[p->in_count] = (struct sh_signal){ .tid = tid, .info = *info };
	p->in_count++;
	return 1;
}

void remote_kick(int host_pid)
{
	if (host_pid > 0)
		PAL_CALL2(__NR_kill, host_pid, PAL_KICK_SIGNAL);
}

/* SIGKILL: the host kills the target; once it is gone (pidfd), its end is recorded for it. */
static long kill_now(struct sh_proc *p, int pid, int host_pid)
{
	long pfd = PAL_CALL2(__NR_pidfd_open, host_pid, 0);
	long r = PAL_CALL2(__NR_kill, host_pid, 9);
	if (pfd >= 0) {
		struct { int fd; short events, revents; } pfds = { (int)pfd, 1 /* POLLIN */, 0 };
		if (r == 0)
			PAL_CALL3(__NR_poll, &pfds, 1, 5000);
		pal_close((int)pfd);
	}
	ptree_exit(p, pid, W_SIGNALED(9));
	return 0;
}

long remote_send(struct sh_proc *p, int pid, int tid, const struct ksiginfo *info)
{
	sh_lock();
	if (p->pid != pid) {	/* reaped since it was looked up */
		sh_unlock();
		return -ESRCH;
	}
	if (p->state != SP_ALIVE) {	/* a zombie takes no signals, without error */
		sh_unlock();
		return 0;
	}
	int host_pid = p->host_pid;
	/* A vfork child still in its parent's memory dies at its next delivery point instead: killed
	 * anywhere, it could leave a LibOS lock of its parent's held. */
	if (info->signo == 9 && host_pid > 0 && pid != 1 && !(p->flags & SPF_SHAREDVM)) {
		sh_unlock();
		return kill_now(p, pid, host_pid);
	}
	long r = 0;
	if (info->signo == 9 || !(p->sig_ignored & SIGBIT(info->signo)))
		r = remote_post_locked(p, tid, info);
	sh_unlock();
	/* One kick per signal queued: a stream of the same standard signal, or of ignored ones,
	 * must not keep interrupting the target (it would never get anything done). */
	if (r > 0)
		remote_kick(host_pid);
	return r < 0 ? r : 0;
}

int remote_pending(void)
{
	return sh_self && (__atomic_load_n(&sh_self->in_count, __ATOMIC_ACQUIRE) |
			   __atomic_load_n(&sh_self->in_lost, __ATOMIC_ACQUIRE));
}

void sig_fold_remote(void)
{
	if (!remote_pending())
		return;
	struct sh_signal in[SH_INQ];
	sh_lock();
	uint32_t n = sh_self->in_count, lost = sh_self->in_lost;
	if (n > SH_INQ)	/* another process's damage must not reach this one's stack */
		n = SH_INQ;
	memcpy(in, sh_self->in, n * sizeof(in[0]));
	sh_self->in_count = 0;
	sh_self->in_lost = 0;
	sh_unlock();
	for (uint32_t i = 0; i < n; i++) {
		int sig = in[i].info.signo;
		if (sig < 1 || sig > SIG_NUM)
			continue;
		if (!in[i].tid || sig_send(in[i].tid, sig, &in[i].info) == -ESRCH)
			sig_send(0, sig, &in[i].info);	/* a thread that is gone: the process takes it */
	}
	for (int sig = 1; sig < 32; sig++) {
		if (lost & (1u << sig)) {
			struct ksiginfo info = { .signo = sig, .code = SI_USER_ };
			sig_send(0, sig, &info);
		}
	}
}

void sig_publish_actions(void)
{
	if (!sh_self)
		return;
	const struct k_sigaction *a = &sigs.actions[SIGCHLD_];
	uint32_t f = a->handler == SIG_IGN_ ? SPF_NOCLDWAIT | SPF_IGNCHLD
		     : (a->flags & SA_NOCLDWAIT_) ? SPF_NOCLDWAIT : 0;
	uint64_t ignored = sig_ignored_set();
	sh_lock();
	sh_self->flags = (sh_self->flags & ~(SPF_NOCLDWAIT | SPF_IGNCHLD)) | f;
	sh_self->sig_ignored = ignored;
	sh_unlock();
}
