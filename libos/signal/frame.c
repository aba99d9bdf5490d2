/* libos/signal/frame.c — Linux's x86-64 signal frame: struct rt_sigframe (return address, ucontext
 * with the interrupted registers and mask, siginfo) under the FPU image, placed as the kernel's
 * get_sigframe places it (below the red zone or on the alternate stack, image 64-byte aligned,
 * rsp+8 16-byte aligned at the handler). rt_sigreturn and sigaltstack are here too. The interrupted
 * FPU state is the host frame's image on the trap path and the live CPU state on the fast path. */
#include "frame.h"
#include "../errno.h"
#include "../log.h"
#include "../entry/usercopy.h"
#include "../process/process.h"
#include "../../lib/mem.h"

struct kucontext {
	uint64_t uc_flags, uc_link;
	uint64_t ss_sp;
	int32_t ss_flags, ss_pad;
	uint64_t ss_size;
	struct pal_regs mc;	/* struct sigcontext */
	uint64_t sigmask;
};

struct rt_sigframe {
	uint64_t pretcode;
	struct kucontext uc;
	struct ksiginfo info;
};
_Static_assert(sizeof(struct kucontext) == 304, "the kernel's ucontext is 304 bytes");

#define UC_FLAGS (1 /* FP_XSTATE */ | 2 /* SIGCONTEXT_SS */ | 4 /* STRICT_RESTORE_SS */)
#define EFLAGS_USER 0x50dd5ull	/* AC OF DF TF SF ZF AF PF CF RF: what sigreturn may set */
#define FPU_MAX 16384

static int altstack_on(const struct libos_thread *t)
{
	return t->ss_size && !(t->ss_flags & SS_DISABLE_);
}

static int on_altstack(const struct libos_thread *t, uint64_t sp)
{
	return altstack_on(t) && sp > t->ss_sp && sp - t->ss_sp <= t->ss_size;
}

/* The interrupted FPU state into img. */
static void fpu_take(const struct pal_regs *regs, uint8_t *img, uint32_t size)
{
	if (regs->fpstate)
		memcpy(img, (const void *)regs->fpstate, size);
	else
		fpu_save_live(img);
}

/* img becomes the state the app resumes with. */
static void fpu_give(struct pal_regs *regs, const uint8_t *img, uint32_t size)
{
	if (regs->fpstate)
		memcpy((void *)regs->fpstate, img, size);
	else
		fpu_restore_live(img);
}

long frame_setup(struct pal_regs *regs, int sig, const struct ksiginfo *info,
		 const struct k_sigaction *act, uint64_t oldmask)
{
	struct libos_thread *t = thread_current();
	uint32_t fsz = fpu_frame_size();
	if (!(act->flags & SA_RESTORER_) || fsz > FPU_MAX)
		return -EFAULT;	/* x86-64 has no default return path: Linux refuses too */
	int was_on = on_altstack(t, regs->rsp);
	uint64_t sp = regs->rsp - 128;	/* the red zone */
	struct rt_sigframe f;
	memset(&f, 0, sizeof(f));
	f.uc.ss_sp = t->ss_sp;
	f.uc.ss_size = t->ss_size;
	f.uc.ss_flags = !altstack_on(t) ? SS_DISABLE_ : (was_on ? SS_ONSTACK_ : 0) | (t->ss_flags & (int)SS_AUTODISARM_);
	if ((act->flags & SA_ONSTACK_) && altstack_on(t) && !was_on) {
		sp = t->ss_sp + t->ss_size;
		if (t->ss_flags & (int)SS_AUTODISARM_) {	/* the handler may install another */
			t->ss_sp = t->ss_size = 0;
			t->ss_flags = SS_DISABLE_;
		}
	}
	uint64_t fp = (sp - fsz) & ~63ull;
	uint64_t at = ((fp - sizeof(f)) & ~15ull) - 8;
	f.pretcode = act->restorer;
	f.uc.uc_flags = UC_FLAGS;
	f.uc.mc = *regs;
	f.uc.mc.fpstate = fp;
	f.uc.mc.oldmask = oldmask;
	if (!regs->fpstate) {	/* the fast path's save area fills only the registers */
		f.uc.mc.cs = 0x33;	/* the values a user thread runs with */
		f.uc.mc.gs = f.uc.mc.fs = 0;
		f.uc.mc.ss = 0x2b;
		f.uc.mc.err = f.uc.mc.trapno = f.uc.mc.cr2 = 0;
		memset(f.uc.mc.reserved, 0, sizeof(f.uc.mc.reserved));
	}
	f.uc.sigmask = oldmask;
	f.info = *info;
	uint8_t img[FPU_MAX] __attribute__((aligned(64)));
	fpu_take(regs, img, fsz);
	if (copy_to_user((void *)fp, img, fsz) < 0 || copy_to_user((void *)at, &f, sizeof(f)) < 0)
		return -EFAULT;
	fpu_init_image(img);	/* the handler starts with a clean FPU, as under Linux */
	fpu_give(regs, img, fsz);
	regs->rdi = (uint64_t)sig;
	regs->rsi = at + __builtin_offsetof(struct rt_sigframe, info);
	regs->rdx = at + __builtin_offsetof(struct rt_sigframe, uc);
	regs->rax = 0;
	regs->rsp = at;
	regs->rip = act->handler;
	regs->eflags &= ~(0x400ull | 0x100ull | 0x10000ull);	/* DF, TF, RF */
	return 0;
}

/* Applies a stack_t from the app (sigaltstack, or a frame's uc_stack on return). */
static long set_altstack(struct libos_thread *t, uint64_t sp, uint64_t size, int flags)
{
	int mode = flags & ~(int)SS_AUTODISARM_;
	if (mode != SS_DISABLE_ && mode != SS_ONSTACK_ && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE_) {
		sp = size = 0;
	} else if (size < 2048) {	/* MINSIGSTKSZ */
		return -ENOMEM;
	}
	t->ss_sp = sp;
	t->ss_size = size;
	t->ss_flags = mode == SS_DISABLE_ ? SS_DISABLE_ : (flags & (int)SS_AUTODISARM_);
	return 0;
}

long sys_sigaltstack(const void *uss, void *uoss)
{
	struct libos_thread *t = thread_current();
	struct { uint64_t sp; int32_t flags, pad; uint64_t size; } ss, old;
	uint64_t sp = t->regs->rsp;
	old.sp = t->ss_sp;
	old.size = t->ss_size;
	old.pad = 0;
	old.flags = !altstack_on(t) ? SS_DISABLE_ : (on_altstack(t, sp) ? SS_ONSTACK_ : 0) |
						   (t->ss_flags & (int)SS_AUTODISARM_);
	if (uss) {
		if (copy_from_user(&ss, uss, sizeof(ss)) < 0)
			return -EFAULT;
		if (on_altstack(t, sp))
			return -EPERM;
		long r = set_altstack(t, ss.sp, ss.size, ss.flags);
		if (r < 0)
			return r;
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_rt_sigreturn(void)
{
	struct libos_thread *t = thread_current();
	struct pal_regs *regs = t->regs;
	struct rt_sigframe f;
	uint32_t fsz = fpu_frame_size();
	uint8_t img[FPU_MAX] __attribute__((aligned(64)));
	/* The handler's ret popped pretcode: the frame starts 8 bytes below rsp. */
	if (copy_from_user(&f, (const void *)(regs->rsp - 8), sizeof(f)) < 0)
		goto bad;
	if (f.uc.mc.rip >= (1ull << 47))	/* non-canonical: the return to it would fault the LibOS */
		goto bad;
	if (f.uc.mc.fpstate) {
		if (copy_from_user(img, (const void *)f.uc.mc.fpstate, fsz) < 0 || !fpu_image_valid(img))
			goto bad;
	} else {
		fpu_init_image(img);
	}
	spin_lock(&sigs.lock);
	t->sigmask = f.uc.sigmask & ~(SIGBIT(9) | SIGBIT(19));
	spin_unlock(&sigs.lock);
	const struct pal_regs *m = &f.uc.mc;
	regs->r8 = m->r8, regs->r9 = m->r9, regs->r10 = m->r10, regs->r11 = m->r11;
	regs->r12 = m->r12, regs->r13 = m->r13, regs->r14 = m->r14, regs->r15 = m->r15;
	regs->rdi = m->rdi, regs->rsi = m->rsi, regs->rbp = m->rbp, regs->rbx = m->rbx;
	regs->rdx = m->rdx, regs->rax = m->rax, regs->rcx = m->rcx, regs->rsp = m->rsp;
	regs->rip = m->rip;
	regs->eflags = (regs->eflags & ~EFLAGS_USER) | (m->eflags & EFLAGS_USER);
	fpu_give(regs, img, fsz);
	if (!on_altstack(t, regs->rsp))	/* Linux's restore_altstack, errors ignored */
		set_altstack(t, f.uc.ss_sp, f.uc.ss_size, f.uc.ss_flags);
	return (long)regs->rax;
bad:
	log_info("rt_sigreturn: bad signal frame at %#lx: SIGSEGV", (unsigned long)(regs->rsp - 8));
	proc_exit_by_signal(11);
}
