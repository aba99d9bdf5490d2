/* libos/signal/signal.h — the signal API other subsystems use. Delivery to app handlers is the
 * signal subsystem's own issue; until then a signal whose action is the default terminates. */
#ifndef LIBOS_SIGNAL_H
#define LIBOS_SIGNAL_H

/* A signal the current thread causes itself (SIGPIPE on a broken pipe): acts on it now if its
 * action is the default "terminate" (never for pid 1, which has init's protection); ignored or
 * handled signals do nothing yet. */
void sig_raise_sync(int sig);

#endif
