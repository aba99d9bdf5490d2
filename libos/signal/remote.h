/* libos/signal/remote.h — signals between processes of the instance. The sender queues the signal
 * in the target's slot of the shared region and kicks the target's host process; the target moves
 * it into its own pending sets at its next delivery point (sig_fold_remote). SIGKILL does not wait
 * for the target's cooperation: the host kills it and the sender records its end. */
#ifndef LIBOS_SIGNAL_REMOTE_H
#define LIBOS_SIGNAL_REMOTE_H

#include "../shared/region.h"

/* Queues info for process p (tid 0) or one of its threads (region lock held): 1 if queued, 0 if
 * it coalesced with one already queued (standard signals), -EAGAIN when a real-time signal
 * finds the queue full. */
long remote_post_locked(struct sh_proc *p, int tid, const struct ksiginfo *info);
/* Interrupts host process host_pid so that it takes what was queued (lock not held). */
void remote_kick(int host_pid);
/* Sends info to process p (not the caller's; pid as sh_lookup gave it), or to its thread tid:
 * queue and kick, or for SIGKILL the host kill. 0, or -ESRCH if p is no longer that process. */
long remote_send(struct sh_proc *p, int pid, int tid, const struct ksiginfo *info);
/* A signal action changed: what other processes must know of them follows (the signals this
 * one ignores, whether its children leave zombies and send SIGCHLD). */
void sig_publish_actions(void);
/* Whether other processes queued signals for this one that it has not folded in yet. */
int remote_pending(void);
/* Moves signals other processes queued for this one into its pending sets. */
void sig_fold_remote(void);

#endif
