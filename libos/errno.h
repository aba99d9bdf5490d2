/* libos/errno.h — Linux errno values for the LibOS; handlers return them negated. */
#ifndef LIBOS_ERRNO_H
#define LIBOS_ERRNO_H
#include <asm-generic/errno.h>
/* Linux's kernel-internal codes for a syscall a signal interrupted (never seen by the app): after
 * delivery it is restarted (SA_RESTART, or no handler ran) or fails with EINTR. NOHAND: restarted
 * only if no handler ran (poll and friends). */
#define ERESTARTSYS 512
#define ERESTARTNOHAND 514
#endif
