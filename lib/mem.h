/* lib/mem.h — freestanding memory and string routines for the runtime (no host libc).
 * The compiler may emit calls to memcpy/memset/memmove/memcmp itself, so those keep libc names. */
#ifndef LIB_MEM_H
#define LIB_MEM_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates (if size > 0); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);
/* True if s starts with prefix. */
int str_starts(const char *s, const char *prefix);
/* What a fortified routine (__memcpy_chk and friends) calls when a copy would overflow: the
 * runtime's panic, set once at start (it must not return). Unset, the routine traps. */
extern void (*lib_fail)(const char *why);

#endif
