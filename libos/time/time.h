/* libos/time/time.h — clocks and the identity strings uname and /proc/version show. */
#ifndef LIBOS_TIME_H
#define LIBOS_TIME_H

/* A release no glibc or musl considers too old, and the version string uname reports. */
#define LIBOS_UNAME_RELEASE "6.1.0-cella"
#define LIBOS_UNAME_VERSION "#1 SMP PREEMPT_DYNAMIC cella"

/* Nanoseconds since the host booted (CLOCK_BOOTTIME). */
long time_boot_ns(void);

#endif
