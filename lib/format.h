/* lib/format.h — printf-style formatting into a caller's buffer, freestanding.
 * Supports %d %i %u %x %X %o %c %s %p %% with flags '-', '0', '#', width, precision, '*',
 * and length modifiers hh h l ll z t j. Output is always NUL-terminated when size > 0;
 * the return value is the length the full output would have had (like snprintf). */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Appends to a growing string inside a fixed buffer; tracks overflow. */
struct fmt_buf {
	char *buf;
	size_t size;
	size_t len;	/* may exceed size-1: then output was truncated */
};
void fmt_append(struct fmt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fmt_vappend(struct fmt_buf *b, const char *fmt, va_list ap);
/* Appends n bytes as a C string literal body with escapes (\n, \t, \", \\, \xNN), like strace. */
void fmt_append_escaped(struct fmt_buf *b, const void *data, size_t n);

#endif
