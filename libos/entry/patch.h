/* libos/entry/patch.h — the fast path's call-site patcher and the per-path syscall statistics. */
#ifndef LIBOS_PATCH_H
#define LIBOS_PATCH_H

#include "../../pal/pal.h"

/* Called by the trap path for every trapped syscall: if the site that issued it is one the build
 * proved patchable, rewrites it so later calls take the fast path. */
void patch_on_trap(struct pal_regs *regs, long nr);
/* A new executable mapping of image file `index` at [start, start+len) from `file_off`, not yet
 * run by anyone: patches all its proven sites at once. */
void patch_new_mapping(uint64_t start, uint64_t len, int prot, long index, uint64_t file_off);
/* The code at [start, start+len) is gone (unmapped or replaced): forget its patched sites. */
void patch_forget_range(uint64_t start, uint64_t len);
/* A SIGTRAP at a site being patched (a thread ran into the temporary int3): makes the thread
 * do what the original first instruction (`mov $nr,%eax`, or a short site's xor or move) does and
 * resume at the syscall. Returns 1 if it was one. */
int patch_handle_int3(struct pal_regs *regs);
/* CELLA_LOG=debug: syscalls per path and the busiest sites that were not patched. */
void patch_report(void);
/* Registers the host-side requirements once at start (membarrier for cross-modifying code). */
void patch_init(void);

struct spinlock;
/* The patcher's lock (fork.c takes it around a host fork). */
struct spinlock *patch_lock(void);

#endif
