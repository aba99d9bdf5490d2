/* lib/format.c — the formatter behind fmt_snprintf; one pass, no allocation, no floating point. */
#include "format.h"
#include "mem.h"
#include <stdint.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* Writes one number with sign/prefix/padding rules of printf. */
static void put_num(struct out *o, uint64_t v, int neg, unsigned base, int upper, int width,
		    int prec, int left, int zero, const char *prefix)
{
	char digits[24];
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;
	while (v) {
		digits[n++] = set[v % base];
		v /= base;
	}
	if (prec < 0 && n == 0)
		digits[n++] = '0';
	int nd = n > prec ? n : prec;
	int plen = (int)strlen(prefix) + (neg ? 1 : 0);
	int pad = width - nd - plen;
	if (!left && !(zero && prec < 0))
		put_pad(o, ' ', pad);
	if (neg)
		put(o, '-');
	for (const char *p = prefix; *p; p++)
		put(o, *p);
	if (!left && zero && prec < 0)
		put_pad(o, '0', pad);
	put_pad(o, '0', nd - n);
	while (n)
		put(o, digits[--n]);
	if (left)
		put_pad(o, ' ', pad);
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		int left = 0, zero = 0, alt = 0, width = 0, prec = -1, lng = 0;
		for (;; f++) {
			if (f[1] == '-')
				left = 1;
			else if (f[1] == '0')
				zero = 1;
			else if (f[1] == '#')
				alt = 1;
			else
				break;
		}
		f++;
		if (*f == '*') {
			width = va_arg(ap, int);
			if (width < 0)
				left = 1, width = -width;
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				width = width * 10 + (*f++ - '0');
		}
		if (*f == '.') {
			f++;
			prec = 0;
			if (*f == '*') {
				prec = va_arg(ap, int);
				f++;
			} else {
				while (*f >= '0' && *f <= '9')
					prec = prec * 10 + (*f++ - '0');
			}
		}
		/* lng: 2 for 64-bit (l, ll, z, t, j), -1 for short (h), -2 for char (hh). */
		for (;; f++) {
			if (*f == 'l' || *f == 'z' || *f == 't' || *f == 'j')
				lng = 2;
			else if (*f == 'h')
				lng = lng == -1 ? -2 : -1;
			else
				break;
		}
		uint64_t u;
		int64_t s;
		switch (*f) {
		case 'd':
		case 'i':
			s = lng == 2 ? va_arg(ap, int64_t) : va_arg(ap, int);
			if (lng == -1)
				s = (short)s;
			else if (lng == -2)
				s = (signed char)s;
			u = s < 0 ? (uint64_t)0 - (uint64_t)s : (uint64_t)s;
			put_num(&o, u, s < 0, 10, 0, width, prec, left, zero, "");
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng == 2 ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng == -2)
				u = (unsigned char)u;
			put_num(&o, u, 0, *f == 'u' ? 10 : *f == 'o' ? 8 : 16, *f == 'X', width, prec,
				left, zero,
				alt && u ? (*f == 'o' ? "0" : *f == 'x' ? "0x" : *f == 'X' ? "0X" : "") : "");
			break;
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			if (!u) {
				const char *nil = "NULL";
				put_pad(&o, ' ', left ? 0 : width - 4);
				while (*nil)
					put(&o, *nil++);
				put_pad(&o, ' ', left ? width - 4 : 0);
			} else {
				put_num(&o, u, 0, 16, 0, width, prec, left, zero, "0x");
			}
			break;
		case 'c':
			put_pad(&o, ' ', left ? 0 : width - 1);
			put(&o, (char)va_arg(ap, int));
			put_pad(&o, ' ', left ? width - 1 : 0);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			int n = (int)(prec >= 0 ? strnlen(str, (size_t)prec) : strlen(str));
			put_pad(&o, ' ', left ? 0 : width - n);
			for (int i = 0; i < n; i++)
				put(&o, str[i]);
			put_pad(&o, ' ', left ? width - n : 0);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			/* Unknown conversion: print it literally so the mistake is visible. */
			put(&o, '%');
			if (*f)
				put(&o, *f);
			else
				f--;
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void fmt_vappend(struct fmt_buf *b, const char *fmt, va_list ap)
{
	size_t room = b->len < b->size ? b->size - b->len : 0;
	b->len += (size_t)fmt_vsnprintf(b->buf + (b->len < b->size ? b->len : b->size), room, fmt, ap);
}

void fmt_append(struct fmt_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vappend(b, fmt, ap);
	va_end(ap);
}

void fmt_append_escaped(struct fmt_buf *b, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		switch (c) {
		case '\n': fmt_append(b, "\\n"); break;
		case '\t': fmt_append(b, "\\t"); break;
		case '\r': fmt_append(b, "\\r"); break;
		case '"': fmt_append(b, "\\\""); break;
		case '\\': fmt_append(b, "\\\\"); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				fmt_append(b, "%c", c);
			else
				fmt_append(b, "\\x%02x", c);
		}
	}
}
