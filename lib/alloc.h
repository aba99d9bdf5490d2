/* lib/alloc.h — the LibOS heap: power-of-two size classes carved from one arena the caller
 * hands over at start. Freed blocks go back to their class; the arena never shrinks.
 * Thread-safe (one spinlock). Returns NULL when the arena is exhausted. */
#ifndef LIB_ALLOC_H
#define LIB_ALLOC_H

#include <stddef.h>

/* Each block carries this much header, so a request of 2^k bytes takes a 2^(k+1) block; a
 * large buffer is best asked for as a power of two less this. */
#define HEAP_BLOCK_HDR 16

void heap_init(void *base, size_t size);
void *heap_alloc(size_t n);
void *heap_zalloc(size_t n);
void heap_free(void *p);
void *heap_realloc(void *p, size_t n);
/* Bytes handed out from the arena so far (for /proc and diagnostics). */
size_t heap_used(void);

struct spinlock;
/* Its lock, taken around a host fork so the child never inherits it held. */
struct spinlock *heap_lock(void);

#endif
