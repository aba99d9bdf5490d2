/* libos/entry/exception.c — hardware exceptions. A fault in a user-copy routine becomes -EFAULT;
 * one in app code kills the process with that signal (delivery to app handlers comes with the
 * signal subsystem); one anywhere else in the runtime is a LibOS bug and panics. */
#include "dispatch.h"
#include "usercopy.h"
#include "../log.h"
#include "../process/process.h"
#include "patch.h"

extern uint64_t runtime_base, runtime_end;

void libos_exception(struct pal_regs *regs, const struct pal_fault *f)
{
	if (f->signo == 5 /* SIGTRAP */ && patch_handle_int3(regs))
		return;
	uint64_t fix = uaccess_fixup(regs->rip);
	if (fix && (f->signo == 11 /* SIGSEGV */ || f->signo == 7 /* SIGBUS */)) {
		regs->rip = fix;
		return;
	}
	if (regs->rip >= runtime_base && regs->rip < runtime_end)
		libos_panic("fault in the LibOS: signal %d code %d at runtime+%#lx, address %#lx",
			    f->signo, f->code, (unsigned long)(regs->rip - runtime_base),
			    (unsigned long)f->addr);
	log_info("app fault: signal %d code %d at %#lx, address %#lx; no handler yet, exiting",
		 f->signo, f->code, (unsigned long)regs->rip, (unsigned long)f->addr);
	pal_die_by_signal(f->signo);
}
