/* libos/log.c — the logger. One write per line so lines from several threads do not interleave. */
#include "log.h"
#include "../lib/format.h"
#include "../lib/mem.h"
#include "../pal/pal.h"
#include "process/process.h"

int log_level = LOG_ERROR;
int log_fd = 2;

static const char *const level_names[] = { "off", "error", "warn", "info", "debug", "trace" };

void log_init(const char *name, int fd)
{
	log_fd = fd;
	if (!name || !*name)
		return;
	for (int i = 0; i <= LOG_TRACE; i++)
		if (strcmp(name, level_names[i]) == 0)
			log_level = i;
}

void log_raw(const char *line, unsigned long len)
{
	pal_write(log_fd, line, len);
}

static void log_vwrite(int level, const char *fmt, va_list ap)
{
	char line[1024];
	struct fmt_buf b = { line, sizeof(line) - 1, 0 };
	fmt_append(&b, "cella[%d]: %s: ", proc_current_pid(), level_names[level]);
	fmt_vappend(&b, fmt, ap);
	if (b.len > sizeof(line) - 2)
		b.len = sizeof(line) - 2;
	line[b.len++] = '\n';
	pal_write(log_fd, line, b.len);
}

void log_write(int level, const char *fmt, ...)
{
	if (level > log_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_vwrite(level, fmt, ap);
	va_end(ap);
}

__attribute__((noreturn)) void libos_panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char line[1024];
	struct fmt_buf b = { line, sizeof(line), 0 };
	fmt_append(&b, "cella[%d]: panic: ", proc_current_pid());
	fmt_vappend(&b, fmt, ap);
	va_end(ap);
	if (b.len >= sizeof(line))
		b.len = sizeof(line) - 1;
	line[b.len] = 0;
	pal_panic(line);
}
