/* libos/entry/trace.c — CELLA_LOG=trace: one strace-style line per syscall, written after the
 * call so out-buffers show what the app received. App memory is read only through user copies. */
#include "dispatch.h"
#include "usercopy.h"
#include "../errno.h"
#include "../log.h"
#include "../process/process.h"
#include "../../lib/format.h"
#include "../../lib/mem.h"

#define TRACE_STR_MAX 32

static const struct { int err; const char *name, *text; } errnames[] = {
	{ EPERM, "EPERM", "Operation not permitted" },
	{ ENOENT, "ENOENT", "No such file or directory" },
	{ ESRCH, "ESRCH", "No such process" },
	{ EINTR, "EINTR", "Interrupted system call" },
	{ EIO, "EIO", "Input/output error" },
	{ ENXIO, "ENXIO", "No such device or address" },
	{ E2BIG, "E2BIG", "Argument list too long" },
	{ ENOEXEC, "ENOEXEC", "Exec format error" },
	{ EBADF, "EBADF", "Bad file descriptor" },
	{ ECHILD, "ECHILD", "No child processes" },
	{ EAGAIN, "EAGAIN", "Resource temporarily unavailable" },
	{ ENOMEM, "ENOMEM", "Cannot allocate memory" },
	{ EACCES, "EACCES", "Permission denied" },
	{ EFAULT, "EFAULT", "Bad address" },
	{ EBUSY, "EBUSY", "Device or resource busy" },
	{ EEXIST, "EEXIST", "File exists" },
	{ EXDEV, "EXDEV", "Invalid cross-device link" },
	{ ENODEV, "ENODEV", "No such device" },
	{ ENOTDIR, "ENOTDIR", "Not a directory" },
	{ EISDIR, "EISDIR", "Is a directory" },
	{ EINVAL, "EINVAL", "Invalid argument" },
	{ ENFILE, "ENFILE", "Too many open files in system" },
	{ EMFILE, "EMFILE", "Too many open files" },
	{ ENOTTY, "ENOTTY", "Inappropriate ioctl for device" },
	{ EFBIG, "EFBIG", "File too large" },
	{ ENOSPC, "ENOSPC", "No space left on device" },
	{ ESPIPE, "ESPIPE", "Illegal seek" },
	{ EROFS, "EROFS", "Read-only file system" },
	{ EMLINK, "EMLINK", "Too many links" },
	{ EPIPE, "EPIPE", "Broken pipe" },
	{ ERANGE, "ERANGE", "Numerical result out of range" },
	{ ENAMETOOLONG, "ENAMETOOLONG", "File name too long" },
	{ ENOSYS, "ENOSYS", "Function not implemented" },
	{ ENOTEMPTY, "ENOTEMPTY", "Directory not empty" },
	{ ELOOP, "ELOOP", "Too many levels of symbolic links" },
	{ ENODATA, "ENODATA", "No data available" },
	{ EOVERFLOW, "EOVERFLOW", "Value too large for defined data type" },
	{ EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported" },
	{ ETIMEDOUT, "ETIMEDOUT", "Connection timed out" },
};

/* O_SYNC contains O_DSYNC's bit, so it must come first. */
static const struct { int bit; const char *name; } open_flags[] = {
	{ 04010000, "O_SYNC" }, { 00000100, "O_CREAT" }, { 00000200, "O_EXCL" }, { 00000400, "O_NOCTTY" },
	{ 00001000, "O_TRUNC" }, { 00002000, "O_APPEND" }, { 00004000, "O_NONBLOCK" },
	{ 00010000, "O_DSYNC" }, { 00040000, "O_DIRECT" }, { 00200000, "O_DIRECTORY" },
	{ 00400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" }, { 02000000, "O_CLOEXEC" },
	{ 010000000, "O_PATH" }, { 020000000, "O_TMPFILE" },
	{ 0100000, "O_LARGEFILE" },
};

static void put_string(struct fmt_buf *b, long uaddr, size_t max, int exact_len)
{
	char tmp[TRACE_STR_MAX + 1];
	size_t want = max < TRACE_STR_MAX ? max : TRACE_STR_MAX;
	long n;
	if (!uaddr) {
		fmt_append(b, "NULL");
		return;
	}
	if (exact_len) {
		n = copy_from_user(tmp, (void *)uaddr, want) < 0 ? -1 : (long)want;
	} else {
		n = strncpy_from_user(tmp, (void *)uaddr, sizeof(tmp));
		if (n == -ENAMETOOLONG)
			n = TRACE_STR_MAX, max = TRACE_STR_MAX + 1;
		else if (n >= 0)
			max = (size_t)n;
	}
	if (n < 0) {
		fmt_append(b, "%#lx", uaddr);
		return;
	}
	fmt_append(b, "\"");
	fmt_append_escaped(b, tmp, (size_t)n);
	fmt_append(b, (size_t)n < max ? "\"..." : "\"");
}

static void put_open_flags(struct fmt_buf *b, long v)
{
	int acc = (int)v & 3;
	fmt_append(b, "%s", acc == 0 ? "O_RDONLY" : acc == 1 ? "O_WRONLY" : acc == 2 ? "O_RDWR" : "3");
	long rest = v & ~3L;
	for (unsigned i = 0; i < sizeof(open_flags) / sizeof(open_flags[0]); i++) {
		if ((rest & open_flags[i].bit) == open_flags[i].bit) {
			fmt_append(b, "|%s", open_flags[i].name);
			rest &= ~(long)open_flags[i].bit;
		}
	}
	if (rest)
		fmt_append(b, "|%#lo", rest);
}

/* Formats argument `i` according to its spec letter(s). */
static void put_one(struct fmt_buf *b, const char *f, int i, const long args[6], long ret)
{
	long v = args[i];
	switch (f[0]) {
	case 'd': fmt_append(b, "%d", (int)v); break;
	case 'u': fmt_append(b, "%lu", (unsigned long)v); break;
	case 'x': fmt_append(b, "%#lx", (unsigned long)v); break;
	case 'm': fmt_append(b, "%#lo", (unsigned long)v); break;
	case 'p': if (v) fmt_append(b, "%#lx", (unsigned long)v); else fmt_append(b, "NULL"); break;
	case 's': put_string(b, v, ~0ul, 0); break;
	case 'a': if ((int)v == -100) fmt_append(b, "AT_FDCWD"); else fmt_append(b, "%d", (int)v); break;
	case 'o': put_open_flags(b, v); break;
	case 'b': put_string(b, v, (size_t)args[f[1] - '0'], 1); break;
	case 'B':
		if (ret >= 0)
			put_string(b, v, (size_t)ret, 1);
		else
			fmt_append(b, "%#lx", (unsigned long)v);
		break;
	}
}

void trace_syscall(long nr, const long args[6], long ret)
{
	char line[512];
	struct fmt_buf b = { line, sizeof(line) - 1, 0 };
	const struct syscall_desc *d =
		(unsigned long)nr < SYSCALL_TABLE_SIZE ? &syscall_table[nr] : 0;
	const char *name = d && d->name ? d->name
			   : (unsigned long)nr < SYSCALL_TABLE_SIZE && syscall_names[nr] ? syscall_names[nr]
			   : "syscall";
	fmt_append(&b, "[pid %d] %s(", proc.pid, name);
	if (d && d->fn) {
		const char *f = d->trace;
		for (int i = 0; f && *f && *f != '-' && i < 6; i++) {
			if (i)
				fmt_append(&b, ", ");
			put_one(&b, f, i, args, ret);
			f = strchr(f, ',');
			f = f ? f + 1 : 0;
		}
	} else {
		fmt_append(&b, "%#lx, %#lx, %#lx", (unsigned long)args[0], (unsigned long)args[1],
			   (unsigned long)args[2]);
	}
	if (ret < 0 && ret >= -4095) {
		const char *en = 0, *et = 0;
		for (unsigned i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
			if (errnames[i].err == -ret)
				en = errnames[i].name, et = errnames[i].text;
		if (en)
			fmt_append(&b, ") = -1 %s (%s)", en, et);
		else
			fmt_append(&b, ") = -1 E%ld", -ret);
	} else if (d && d->trace && (d->trace[0] == 'p' && (nr == 9 || nr == 12))) {
		fmt_append(&b, ") = %#lx", (unsigned long)ret);
	} else {
		fmt_append(&b, ") = %ld", ret);
	}
	if (b.len > sizeof(line) - 1)
		b.len = sizeof(line) - 1;
	line[b.len++] = '\n';
	log_raw(line, b.len);
}
