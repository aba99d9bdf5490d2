/* libos/fs/procfs_files.c — the contents of /proc files. System-wide facts (CPU model) come from
 * the host; everything about processes and memory is the instance's own view. */
#include "fs.h"
#include "procfs.h"
#include "../config.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../vm/vm.h"
#include "../time/time.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>
#include <linux/openat2.h>

/* Appends a host file (a /proc file of the host) as is. */
static void append_host_file(struct fmt_buf *b, const char *host_path)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };
	long fd = pal_openat2(-100, host_path, &how, sizeof(how));
	if (fd < 0)
		return;
	for (;;) {
		size_t room = b->len < b->size ? b->size - b->len : 0;
		if (room == 0) {
			b->len++;	/* signal overflow: the caller retries larger */
			break;
		}
		long n = pal_read((int)fd, b->buf + b->len, room);
		if (n <= 0)
			break;
		b->len += (size_t)n;
	}
	pal_close((int)fd);
}

void procfs_gen_cpuinfo(struct fmt_buf *b)
{
	append_host_file(b, "/proc/cpuinfo");
}

void procfs_gen_meminfo(struct fmt_buf *b)
{
	unsigned long total = cfg->user_space_size >> 10;
	unsigned long used = vm_app_bytes() >> 10;
	unsigned long avail = used < total ? total - used : 0;
	fmt_append(b, "MemTotal:       %8lu kB\n", total);
	fmt_append(b, "MemFree:        %8lu kB\n", avail);
	fmt_append(b, "MemAvailable:   %8lu kB\n", avail);
	fmt_append(b, "Buffers:        %8lu kB\nCached:         %8lu kB\n", 0ul, 0ul);
	fmt_append(b, "SwapCached:     %8lu kB\n", 0ul);
	fmt_append(b, "SwapTotal:      %8lu kB\nSwapFree:       %8lu kB\n", 0ul, 0ul);
}

void procfs_gen_uptime(struct fmt_buf *b)
{
	long ns = time_boot_ns();
	fmt_append(b, "%ld.%02ld %ld.%02ld\n", ns / 1000000000, (ns / 10000000) % 100,
		   ns / 1000000000, (ns / 10000000) % 100);
}

void procfs_gen_version(struct fmt_buf *b)
{
	fmt_append(b, "Linux version %s (cella) #1 SMP %s\n", LIBOS_UNAME_RELEASE, LIBOS_UNAME_VERSION);
}

void procfs_gen_filesystems(struct fmt_buf *b)
{
	fmt_append(b, "nodev\tproc\nnodev\ttmpfs\nnodev\tdevtmpfs\n\tcellaimg\n");
}

static void append_strings(struct fmt_buf *b, const char *s, size_t n)
{
	if (b->len + n <= b->size)
		memcpy(b->buf + b->len, s, n);
	b->len += n;
}

void procfs_gen_cmdline(struct fmt_buf *b)
{
	append_strings(b, proc.cmdline, proc.cmdline_len);
}

void procfs_gen_environ(struct fmt_buf *b)
{
	append_strings(b, proc.environ, proc.environ_len);
}

static const char *comm(void)
{
	const char *s = strrchr(proc.exe_path, '/');
	return s ? s + 1 : proc.exe_path;
}

void procfs_gen_status(struct fmt_buf *b)
{
	fmt_append(b, "Name:\t%.15s\nUmask:\t%04o\nState:\tR (running)\n", comm(), proc.umask);
	fmt_append(b, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", proc.pid,
		   proc.pid, sh_self->ppid);
	fmt_append(b, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", proc.uid, proc.euid, proc.suid,
		   proc.euid, proc.gid, proc.egid, proc.sgid, proc.egid);
	fmt_append(b, "FDSize:\t%d\nGroups:\t\n", fd_max());
	fmt_append(b, "VmSize:\t%8lu kB\n", vm_app_bytes() >> 10);
	fmt_append(b, "Threads:\t1\n");
	fmt_append(b, "SigQ:\t0/%lu\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n",
		   (unsigned long)proc.rlim[11].cur);
	fmt_append(b, "SigBlk:\t%016lx\nSigIgn:\t0000000000000000\nSigCgt:\t0000000000000000\n",
		   (unsigned long)thread_current()->sigmask);
	fmt_append(b, "Cpus_allowed_list:\t0-%d\n", 0);
}

void procfs_gen_stat(struct fmt_buf *b)
{
	fmt_append(b, "%d (%.15s) R %d %d %d 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 0 %lu 0\n", proc.pid,
		   comm(), sh_self->ppid, sh_self->pgid, sh_self->sid, vm_app_bytes());
}

void procfs_gen_mounts(struct fmt_buf *b)
{
	for (uint32_t i = 0; i < cfg->nmounts; i++) {
		const struct cella_mount_cfg *m = &cfg->mounts[i];
		static const char *const types[] = { "?", "cellaimg", "tmpfs", "devtmpfs", "proc" };
		const char *t = m->type < 5 ? types[m->type] : "?";
		fmt_append(b, "%s %s %s %s 0 0\n", m->type == CELLA_MOUNT_IMAGE ? "image" : t,
			   config_str(m->target_off), t, m->type == CELLA_MOUNT_IMAGE ? "ro" : "rw");
	}
}

