/* libos/entry/exception.c — hardware exceptions and kicks. A fault in a user-copy routine becomes
 * -EFAULT; one in app code goes to the app's handler (or kills with that signal); one anywhere
 * else in the runtime is a LibOS bug and panics. */
#include "dispatch.h"
#include "usercopy.h"
#include "../log.h"
#include "../process/process.h"
#include "../process/ptree.h"
#include "patch.h"
#include "../signal/signal.h"
#include "../vm/vm.h"
#include "../../lib/alloc.h"
#include "../../lib/format.h"

extern uint64_t runtime_base, runtime_end;

void libos_exception(struct pal_regs *regs, const struct pal_fault *f)
{
	if (f->signo == 5 /* SIGTRAP */ && patch_handle_int3(regs))
		return;
	int code = f->code;
	uint64_t fix = uaccess_fixup(regs->rip);
	if (fix && (f->signo == 11 /* SIGSEGV */ || f->signo == 7 /* SIGBUS */)) {
		/* The app's stack may grow under a user copy too, as under Linux's copy routines. */
		if (!vm_handle_fault(f->addr, f->signo, &code))
			regs->rip = fix;
		return;
	}
	if (regs->rip >= runtime_base && regs->rip < runtime_end)
		libos_panic("fault in the LibOS: signal %d code %d at runtime+%#lx, address %#lx",
			    f->signo, f->code, (unsigned long)(regs->rip - runtime_base),
			    (unsigned long)f->addr);
	if (vm_handle_fault(f->addr, f->signo, &code))
		return;	/* the stack grew: run the access again */
	if (log_level >= LOG_DEBUG) {	/* the app's map, to read the address against */
		log_debug("app fault: signal %d code %d at %#lx, address %#lx", f->signo, code,
			  (unsigned long)regs->rip, (unsigned long)f->addr);
		struct fmt_buf b = { heap_alloc(1 << 16), 1 << 16, 0 };
		if (b.buf) {
			vm_gen_maps(&b);
			log_raw(b.buf, b.len < b.size ? b.len : b.size - 1);
			heap_free(b.buf);
		}
	}
	sig_fault(regs, f->signo, code, f->addr);	/* the app's handler, or death by it */
}

/* A kick from another thread: signals are taken here only if app code was interrupted; inside
 * the LibOS they are delivered on the way out of the syscall being served. */
void libos_interrupt(struct pal_regs *regs)
{
	if (uaccess_ok_nowait(regs->rip))
		sig_on_kick(regs);
}

void libos_async_signal(int sig, struct pal_regs *regs)
{
	sig_on_async(sig, regs, uaccess_ok_nowait(regs->rip));
}

void libos_child_exit(int host_pid, int code, int status, struct pal_regs *regs)
{
	ptree_note_host_exit(host_pid, code, status);
	if (regs && uaccess_ok_nowait(regs->rip))	/* app code holds no LibOS lock */
		sig_deliver(regs, 0);
}
