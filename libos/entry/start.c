/* libos/entry/start.c — libos_main: reads what the launcher passed (include/cella/launch.h),
 * loads config and manifest, sets up the LibOS heap, the first thread and the file system,
 * builds the app's environment, loads the program and enters it with syscalls trapped. */
#include "dispatch.h"
#include "usercopy.h"
#include "../config.h"
#include "../errno.h"
#include "../log.h"
#include "../fs/fs.h"
#include "../loader/loader.h"
#include "../loader/stack.h"
#include "../process/process.h"
#include "../process/exec_state.h"
#include "../process/ptree.h"
#include "../process/cred.h"
#include "../signal/remote.h"
#include "patch.h"
#include "../signal/signal.h"
#include "../vm/vm.h"
#include "../../lib/alloc.h"
#include "../../lib/format.h"
#include "../../lib/mem.h"

uint64_t runtime_base, runtime_end;

static struct libos_thread main_thread;

struct launch_args {
	int config_fd, manifest_fd, image_fd, run_fd, log_fd, verified_fd, exec_state_fd;
	char tmp_name[32];	/* the private /tmp's directory in run/: [A-Za-z0-9.]+, no ".." */
	int app_argc;
	char **app_argv;
};

static int parse_int_arg(const char *s, const char *name, int *out)
{
	size_t n = strlen(name);
	if (strncmp(s, name, n) != 0)
		return 0;
	int v = 0;
	for (s += n; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	*out = v;
	return 1;
}

/* A plain name: letters, digits and dots, not "." nor "..", so it cannot leave run/. */
static int parse_name_arg(const char *s, const char *name, char out[32])
{
	size_t n = strlen(name), len = 0;
	if (strncmp(s, name, n) != 0)
		return 0;
	for (s += n; s[len]; len++)
		if (len == 31 || !((s[len] >= 'a' && s[len] <= 'z') || (s[len] >= 'A' && s[len] <= 'Z') ||
				   (s[len] >= '0' && s[len] <= '9') || s[len] == '.'))
			return 0;
	if (len == 0 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	memcpy(out, s, len + 1);
	return 1;
}

static void fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fatal(const char *fmt, ...)
{
	char line[600];
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	pal_write(log_fd, "cella: ", 7);
	pal_write(log_fd, line, (size_t)n);
	if (sh_self)	/* an execve's new program could not start: the parent sees 127 */
		ptree_exit(sh_self, proc.pid, W_EXITED(127));
	pal_exit_group(127);
}

static void parse_args(const struct pal_boot *b, struct launch_args *a)
{
	*a = (struct launch_args){ -1, -1, -1, -1, 2, -1, -1, "", 0, 0 };
	int i;
	for (i = 1; i < b->argc; i++) {
		const char *s = b->argv[i];
		if (strcmp(s, "--") == 0) {
			i++;
			break;
		}
		if (!parse_int_arg(s, "--config-fd=", &a->config_fd) &&
		    !parse_int_arg(s, "--manifest-fd=", &a->manifest_fd) &&
		    !parse_int_arg(s, "--image-fd=", &a->image_fd) &&
		    !parse_int_arg(s, "--run-fd=", &a->run_fd) &&
		    !parse_name_arg(s, "--tmp-name=", a->tmp_name) &&
		    !parse_int_arg(s, "--log-fd=", &a->log_fd) &&
		    !parse_int_arg(s, "--verified-fd=", &a->verified_fd) &&
		    !parse_int_arg(s, "--exec-state-fd=", &a->exec_state_fd))
			fatal("cella-runtime: unknown option %s (it is started by `cella run`)", s);
	}
	a->app_argc = b->argc - i;
	a->app_argv = b->argv + i;
	if (a->config_fd < 0 || a->manifest_fd < 0 || a->image_fd < 0 || a->run_fd < 0 || !a->tmp_name[0] ||
	    a->app_argc < 1)
		fatal("cella-runtime: missing arguments; it is started by `cella run`, not by hand");
}

static const char *host_env(char **envp, const char *name)
{
	size_t n = strlen(name);
	for (char **e = envp; *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* env.default, then every env.untrusted name the host sets (overriding a default). */
static char **build_env(char **host)
{
	int max = (int)(cfg->env_default.count + cfg->env_untrusted.count) + 1;
	char **env = heap_zalloc(sizeof(char *) * (size_t)max);
	int n = 0;
	if (!env)
		return NULL;
	for (const char *d = config_strlist_next(&cfg->env_default, 0); d;
	     d = config_strlist_next(&cfg->env_default, d))
		env[n++] = (char *)d;
	for (const char *u = config_strlist_next(&cfg->env_untrusted, 0); u;
	     u = config_strlist_next(&cfg->env_untrusted, u)) {
		const char *v = host_env(host, u);
		if (!v)
			continue;
		char *kv = (char *)(v - strlen(u) - 1);	/* the host's "NAME=value" string */
		int replaced = 0;
		for (int i = 0; i < n; i++) {
			size_t ul = strlen(u);
			if (strncmp(env[i], u, ul) == 0 && env[i][ul] == '=') {
				env[i] = kv;
				replaced = 1;
			}
		}
		if (!replaced)
			env[n++] = kv;
	}
	env[n] = NULL;
	return env;
}

/* The app may run only what entry_points admit: the path itself or a directory above it. */
static int entry_allowed(const char *path)
{
	for (const char *e = config_strlist_next(&cfg->entry_points, 0); e;
	     e = config_strlist_next(&cfg->entry_points, e)) {
		size_t n = strlen(e);
		if (strcmp(e, "/") == 0 ||
		    (strncmp(path, e, n) == 0 && (path[n] == 0 || path[n] == '/')))
			return 1;
	}
	return 0;
}

/* The name /proc/self/fd/N shows for an inherited stdio descriptor: pipes, sockets and /dev/null
 * keep their host name (none reveals a host path), a terminal is /dev/tty, and a host file is
 * never shown by its host path. */
static void stdio_name(int fd, char *out, size_t size)
{
	char link[32], host[128];
	fmt_snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	long n = pal_readlinkat(-100, link, host, sizeof(host) - 1);
	host[n > 0 ? n : 0] = 0;
	if (str_starts(host, "pipe:") || str_starts(host, "socket:") || str_starts(host, "anon_inode:") ||
	    strcmp(host, "/dev/null") == 0)
		strlcpy(out, host, size);
	else if (str_starts(host, "/dev/pts/") || str_starts(host, "/dev/tty"))
		strlcpy(out, "/dev/tty", size);
	else
		fmt_snprintf(out, size, "host:[stdio%d]", fd);
}

/* The app's descriptors are backed by host ones; let the host allow as many as the app may have. */
static void raise_host_nofile(void)
{
	uint64_t lim[2];
	if (PAL_CALL4(__NR_prlimit64, 0, 7 /* RLIMIT_NOFILE */, 0, lim) == 0 && lim[0] < lim[1]) {
		lim[0] = lim[1];
		PAL_CALL4(__NR_prlimit64, 0, 7, lim, 0);
	}
}


/* What the host started this runtime with: execve starts the next one alike (runtime_reexec). */
static struct launch_args launch;
static char **host_envp;

long runtime_reexec(int state_fd)
{
	char opt[8][40];
	char *argv[12];
	int n = 0, k = 0;
	argv[n++] = "cella-runtime";
	const struct { const char *name; int fd; } fds[] = {
		{ "config", launch.config_fd }, { "manifest", launch.manifest_fd },
		{ "image", launch.image_fd }, { "run", launch.run_fd },
		{ "verified", launch.verified_fd }, { "log", launch.log_fd }, { "exec-state", state_fd },
	};
	for (unsigned i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (fds[i].fd < 0)
			continue;
		fmt_snprintf(opt[k], sizeof(opt[k]), "--%s-fd=%d", fds[i].name, fds[i].fd);
		argv[n++] = opt[k++];
	}
	fmt_snprintf(opt[k], sizeof(opt[k]), "--tmp-name=%s", launch.tmp_name);
	argv[n++] = opt[k++];
	argv[n++] = "--";
	argv[n++] = "exec";	/* the program comes from the state */
	argv[n] = NULL;
	/* The next runtime starts with dispatch off and only the asynchronous host signals blocked
	 * (they stay pending until it can take them), whichever path we are on. */
	long r = pal_disable_syscall_dispatch();
	if (r == 0) {
		pal_set_host_sigmask(PAL_ASYNC_SIGNALS);
		r = pal_exec_self(argv, host_envp);
		pal_set_host_sigmask(0);
		pal_enable_syscall_dispatch();
	}
	return r;
}

__attribute__((noreturn)) void libos_main(const struct pal_boot *b)
{
	struct launch_args a;
	proc_init_first(&main_thread);
	parse_args(b, &a);
	launch = a;
	host_envp = b->envp;
	/* After an app's execve: from inside a host handler, and with the asynchronous signals
	 * blocked until pal_init_events has their handlers in place. */
	pal_set_host_sigmask(PAL_ASYNC_SIGNALS);
	log_init(host_env(b->envp, "CELLA_LOG"), a.log_fd);
	long r = config_load(a.config_fd);
	if (r < 0)
		fatal("build/config.bin is missing or damaged (%ld); run `cella build`", r);
	size_t heap_size = cfg->kernel_heap_size;
	long heap = pal_mmap(0, heap_size, 3, 0x22 | 0x4000 /* NORESERVE */, -1, 0);
	if (heap < 0)
		fatal("cannot reserve the LibOS heap of %lu bytes: %ld", (unsigned long)heap_size, heap);
	heap_init((void *)heap, heap_size);
	/* What start-up allocates, populated in one call rather than faulted in page by page. */
	pal_madvise((void *)heap, heap_size < (256u << 10) ? heap_size : (256u << 10), 23 /* MADV_POPULATE_WRITE */);
	runtime_base = b->runtime_base;	/* for telling LibOS faults apart (exception.c) */
	runtime_end = b->runtime_end;

	proc.pid = 1;
	cred_init(cfg->uid, cfg->gid);
	proc.umask = 022;
	proc_init_rlimits();
	struct exec_state_hdr *es = NULL;
	if (a.exec_state_fd >= 0 && (r = exec_state_load(a.exec_state_fd, &es)) < 0)
		fatal("cella-runtime: the state handed over by execve is damaged (%ld)", r);
	r = region_attach(es ? es->shared_fd : -1);
	if (r < 0)
		fatal("cannot map the shared region: %ld", r);
	r = vm_init();
	if (r < 0)
		fatal("cannot set up the VM manager: %ld", r);
	if (host_env(b->envp, "CELLA_VM_CHECK"))
		vm_enable_checks();
	host_facts = (struct host_facts){ b->sysinfo_ehdr, b->hwcap, b->hwcap2, b->minsigstksz, b->clktck };

	main_thread.ss_flags = 2;	/* SS_DISABLE: no alternate stack until the app sets one */
	thread_register_main(&main_thread);
	if (sig_init() < 0)
		fatal("this CPU has no XSAVE: cella needs it for signal frames");
	r = thread_setup_current(&main_thread, proc.pid);
	if (r < 0)
		fatal("cannot set up the first thread: %ld", r);
	r = es ? ptree_reattach(es->pid) : ptree_init_first();
	if (r < 0)
		fatal("cannot set up the shared region: %ld", r);
	if (es)
		exec_state_apply_signals(es, &main_thread);
	else
		sig_publish_actions();
	static const struct pal_event_handlers handlers = {
		.syscall = libos_syscall_trap,
		.exception = libos_exception,
		.interrupt = libos_interrupt,
		.async_signal = libos_async_signal,
		.child_exit = libos_child_exit,
	};
	r = pal_init_events(&handlers);
	if (r >= 0)
		r = pal_ignore_signal(13 /* SIGPIPE */);
	if (r < 0)
		fatal("cannot install host signal handlers: %ld", r);
	pal_set_host_sigmask(0);	/* a kick or timer that came meanwhile is taken now */
	pal_reap_host_children();	/* children an old image left, ended since */

	raise_host_nofile();
	patch_init();
	image_set_verified_fd(a.verified_fd);
	r = image_load_manifest(a.manifest_fd);
	if (r < 0)
		fatal("build/manifest.bin is missing or damaged (%ld); run `cella build`", r);
	r = fs_init(a.image_fd, a.run_fd, a.tmp_name);
	if (r < 0)
		fatal("cannot set up the mounts: %ld", r);
	const char *path;
	char **argv, **env;
	if (es) {	/* the rest of an app's execve */
		if (exec_state_install_files(es) < 0)
			fatal("out of LibOS memory for the descriptors handed over by execve");
		if (exec_state_program(es, &path, &argv, &env) < 0)
			fatal("out of LibOS memory for the program's arguments");
	} else {
		for (int fd = 0; fd < 3; fd++) {
			char name[64];
			stdio_name(fd, name, sizeof(name));
			long h = pal_fcntl(fd, 1030 /* F_DUPFD_CLOEXEC */, 3);
			if (h < 0)
				continue;	/* not open on the host: not open in the app either */
			long fl = pal_fcntl((int)h, 3 /* F_GETFL */, 0);
			struct file *f = file_new(&host_file_ops, (int)h, (int)(fl < 0 ? 2 : fl), name);
			if (f && fd_install_at(f, fd, 0) < 0)
				file_put(f);
		}
		path = a.app_argv[0];
		argv = a.app_argv;
		if (path[0] != '/' || !entry_allowed(path))
			fatal("%s is not allowed by entry_points in cella.json", path);
		env = build_env(b->envp);
		if (!env)
			fatal("out of LibOS memory building the environment");
	}
	struct exec_result ex;
	r = loader_exec(path, argv, env, &ex);
	if (r < 0) {
		const char *why = r == -ENOENT ? "no such file in the image"
				  : r == -ENOEXEC ? "not an x86-64 ELF executable or #! script"
				  : r == -EACCES ? "permission denied (not executable, or it does not match the build manifest)"
				  : r == -ENOMEM ? "out of memory, or the program overlaps the runtime"
				  : "cannot load it";
		fatal("cannot run %s: %s (error %ld)", path, why, -r);
	}
	log_debug("entering %s at %#lx, sp %#lx", path, (unsigned long)ex.entry, (unsigned long)ex.sp);
	r = pal_enable_syscall_dispatch();
	if (r < 0)
		fatal("cannot enable Syscall User Dispatch (needs Linux 5.11+): %ld", r);
	pal_jump_to_app(ex.entry, ex.sp);
}
