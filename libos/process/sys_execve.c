/* libos/process/sys_execve.c — execve as DESIGN.md has it: the LibOS checks what Linux checks before
 * the point of no return (the arguments, the file, its #! chain and ELF interpreter), writes the
 * process's state into a host memfd and replaces the host process with a fresh cella-runtime,
 * which loads the program into a clean address space. What survives is Linux's list: pid, the
 * credentials as execve's rules make them (cred_exec.c), no_new_privs and the prctl state Linux
 * keeps, cwd, umask, limits, the signal mask, ignored signals, and descriptors without FD_CLOEXEC (host
 * files stay open across the host execve; the others are opened again by path). Other threads end
 * with the host execve. exec_state_* are the next runtime's side of the same format. */
#include "exec_state.h"
#include "cred.h"
#include "../shared/region.h"
#include "../errno.h"
#include "../log.h"
#include "../entry/usercopy.h"
#include "../fs/fs.h"
#include "../loader/loader.h"
#include "../signal/frame.h"
#include "../signal/remote.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include "../../lib/spinlock.h"
#include <linux/fcntl.h>
#include <linux/personality.h>

#define MAX_ARG_BYTES (2u << 20)
#define MAX_ARGS 4096

/* A growing byte buffer in the LibOS heap. */
struct sbuf {
	char *p;
	size_t len, cap;
	int err;
};

static void put(struct sbuf *b, const void *d, size_t n)
{
	if (b->err)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < b->len + n)
			cap *= 2;
		char *q = heap_realloc(b->p, cap);
		if (!q) {
			b->err = -ENOMEM;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

/* Copies the app's NULL-terminated string array into b; returns the count or -errno. */
static long put_strings(struct sbuf *b, char *const *uv, size_t *bytes)
{
	char *s = heap_alloc(LIBOS_PATH_MAX * 32);
	if (!s)
		return -ENOMEM;
	long n = 0;
	for (; uv; n++) {
		uint64_t up;
		if (copy_from_user(&up, uv + n, sizeof(up)) < 0) {
			n = -EFAULT;
			break;
		}
		if (!up)
			break;
		if (n == MAX_ARGS) {
			n = -E2BIG;
			break;
		}
		long len = strncpy_from_user(s, (const char *)up, LIBOS_PATH_MAX * 32);
		if (len < 0) {
			n = len == -ENAMETOOLONG ? -E2BIG : len;
			break;
		}
		*bytes += (size_t)len + 1;
		if (*bytes > MAX_ARG_BYTES) {
			n = -E2BIG;
			break;
		}
		put(b, s, (size_t)len + 1);
	}
	heap_free(s);
	return b->err ? b->err : n;
}

/* The groups as they are now (a sibling thread's setgroups may race an execve; Linux's exec
 * takes the credentials at one moment too): c->ngroups is set to what was written. */
static void put_groups(struct sbuf *b, struct cred_exec *c)
{
	uint32_t n = c->ngroups, *g = n ? heap_alloc(n * 4u) : NULL;
	if (n && !g) {
		b->err = -ENOMEM;
		return;
	}
	spin_lock(cred_lock());
	if (n > proc.ngroups)
		n = proc.ngroups;
	if (n)
		memcpy(g, proc.groups, n * 4u);
	spin_unlock(cred_lock());
	c->ngroups = n;
	put(b, g, n * 4u);
	heap_free(g);
}

static void put_fds(struct sbuf *b, uint32_t *count)
{
	for (int fd = 0; fd < fd_max(); fd++) {
		struct file *f = fd_get(fd);
		if (!f)
			continue;
		if (!fd_get_cloexec(fd)) {
			struct exec_state_fd r = { fd, -1, f->flags, f->type, f->manifest_index,
						   (uint32_t)strlen(f->path), 0 };
			if ((f->ops == &host_file_ops || f->ops == &image_file_ops) && f->host_fd >= 0 &&
			    pal_fcntl(f->host_fd, F_SETFD, 0) == 0)	/* kept open across the exec */
				r.host_fd = f->host_fd;
			put(b, &r, sizeof(r));
			put(b, f->path, r.path_len + 1);
			(*count)++;
		}
		file_put(f);
	}
}

long sys_execve(const char *upath, char *const *uargv, char *const *uenvp)
{
	char *path = heap_alloc(LIBOS_PATH_MAX);
	struct sbuf b = { 0 };
	long r = -ENOMEM;
	if (!path)
		goto out;
	r = strncpy_from_user(path, upath, LIBOS_PATH_MAX);
	if (r < 0)
		goto out;
	/* Everything Linux checks before the point of no return. */
	struct loader_file prog;
	r = loader_check(path, &prog);
	if (r < 0)
		goto out;
	/* The next runtime opens the program by its canonical path: a name like /proc/self/exe
	 * means this process's program, resolved now as Linux resolves it at execve. */
	struct file *pf;
	r = fs_open_kernel(AT_FDCWD, path, O_PATH, &pf);
	if (r < 0)
		goto out;
	strlcpy(path, pf->path, LIBOS_PATH_MAX);
	file_put(pf);
	struct exec_state_hdr h = { .magic = EXEC_STATE_MAGIC, .version = EXEC_STATE_VERSION };
	/* A program the caller may not read is not dumpable (Linux's would_dump). */
	cred_exec_prepare(&prog, fs_permission(prog.mode, prog.uid, prog.gid, MAY_READ) == 0, &h.cred);
	put(&b, &h, sizeof(h));
	put_groups(&b, &h.cred);
	put(&b, fs_cwd, strlen(fs_cwd) + 1);
	put(&b, path, strlen(path) + 1);
	size_t bytes = 0;
	long argc = put_strings(&b, uargv, &bytes);
	long envc = argc < 0 ? 0 : put_strings(&b, uenvp, &bytes);
	if ((r = argc < 0 ? argc : envc) < 0)
		goto out;
	h.argc = (uint32_t)argc;
	h.envc = (uint32_t)envc;
	h.pid = proc.pid, h.shared_fd = region_fd();
	h.prctl = proc.prctl;
	h.umask = proc.umask;
	memcpy(h.rlim, proc.rlim, sizeof(h.rlim));
	h.personality = proc.personality & ~(uint32_t)READ_IMPLIES_EXEC;
	h.sigmask = thread_current()->sigmask;
	for (int s = 1; s <= SIG_NUM; s++)
		if (sigs.actions[s].handler == SIG_IGN_)
			h.sig_ignored |= SIGBIT(s);
	put_fds(&b, &h.nfds);
	if (b.err) {
		r = b.err;
		goto out;
	}
	h.total = (uint32_t)b.len;
	memcpy(b.p, &h, sizeof(h));
	long mfd = PAL_CALL2(__NR_memfd_create, "cella-exec-state", 0);	/* not CLOEXEC: it is passed on */
	if (mfd < 0) {
		r = mfd;
		goto out;
	}
	for (size_t done = 0; done < b.len;) {
		long w = pal_pwrite((int)mfd, b.p + done, b.len - done, (long)done);
		if (w <= 0) {
			pal_close((int)mfd);
			r = w < 0 ? w : -EIO;
			goto out;
		}
		done += (size_t)w;
	}
	log_debug("execve %s: %ld args, %ld env strings, %u descriptors", path, argc, envc, h.nfds);
	/* A vfork child shares its parent's heap: nothing of it may stay allocated past the exec. */
	heap_free(path);
	heap_free(b.p);
	path = b.p = NULL;
	r = runtime_reexec((int)mfd);	/* returns only if the host execve failed */
	pal_close((int)mfd);
	log_error("execve: the host execve of the runtime failed: %ld", r);
out:
	heap_free(path);
	heap_free(b.p);
	return r;
}

/* ---- the next runtime's side ---- */

long exec_state_load(int fd, struct exec_state_hdr **out)
{
	struct exec_state_hdr h;
	if (pal_pread(fd, &h, sizeof(h), 0) != (long)sizeof(h) || h.magic != EXEC_STATE_MAGIC ||
	    h.version != EXEC_STATE_VERSION || h.total < sizeof(h) || h.total > (64u << 20))
		return -EINVAL;
	char *buf = heap_alloc((size_t)h.total + 1);
	if (!buf)
		return -ENOMEM;
	for (uint32_t done = 0; done < h.total;) {
		long n = pal_pread(fd, buf + done, h.total - done, done);
		if (n <= 0) {
			heap_free(buf);
			return n < 0 ? n : -EIO;
		}
		done += (uint32_t)n;
	}
	buf[h.total] = 0;	/* every string below ends inside the buffer */
	pal_close(fd);
	struct exec_state_hdr *s = (struct exec_state_hdr *)buf;
	proc.pid = s->pid;
	proc.umask = s->umask;
	uint32_t ng = s->cred.ngroups, *groups = NULL;
	if (ng > 65536 || sizeof(*s) + ng * 4u > s->total) {
		heap_free(buf);
		return -EINVAL;
	}
	if (ng && !(groups = heap_alloc(ng * 4u))) {
		heap_free(buf);
		return -ENOMEM;
	}
	memcpy(groups, s + 1, ng * 4u);
	cred_exec_apply(&s->cred, groups);
	/* Linux keeps no_new_privs, the subreaper flag, the timer slack and the memory flags
	 * (THP, merging, I/O flusher) over execve; the name is the new program's; the parent-death
	 * signal goes when the ids changed. */
	proc.prctl = s->prctl;
	proc.prctl.name[0] = 0;
	proc.prctl.mce_kill = 0;
	proc.prctl.futex_slots = 0;
	proc.prctl.dumpable = s->cred.dumpable;
	if (!s->cred.keep_pdeathsig)
		proc.prctl.pdeathsig = 0;
	memcpy(proc.rlim, s->rlim, sizeof(proc.rlim));
	proc.personality = s->personality;
	*out = s;
	return 0;
}

void exec_state_apply_signals(const struct exec_state_hdr *h, struct libos_thread *t)
{
	t->sigmask = h->sigmask;
	for (int sig = 1; sig <= SIG_NUM; sig++)
		if (h->sig_ignored & SIGBIT(sig))
			sigs.actions[sig].handler = SIG_IGN_;
	sig_publish_actions();	/* handlers are gone; ignored signals (SIGCHLD too) stay ignored */
}

/* Walks the strings after the header: cwd, path, argv[argc], envp[envc]; returns the first
 * descriptor record. */
static const char *strings(const struct exec_state_hdr *h, const char **cwd, const char **path,
			   char **argv, char **envp)
{
	const char *p = (const char *)(h + 1) + h->cred.ngroups * 4u, *end = (const char *)h + h->total;
	*cwd = p;
	p += strlen(p) + 1;
	*path = p;
	p += strlen(p) + 1;
	for (uint32_t i = 0; i < h->argc && p < end; i++, p += strlen(p) + 1)
		if (argv)
			argv[i] = (char *)p;
	for (uint32_t i = 0; i < h->envc && p < end; i++, p += strlen(p) + 1)
		if (envp)
			envp[i] = (char *)p;
	return p;
}

long exec_state_program(const struct exec_state_hdr *h, const char **path, char ***argv, char ***envp)
{
	const char *cwd;
	*argv = heap_zalloc(sizeof(char *) * (h->argc + 1));
	*envp = heap_zalloc(sizeof(char *) * (h->envc + 1));
	if (!*argv || !*envp)
		return -ENOMEM;
	strings(h, &cwd, path, *argv, *envp);
	return 0;
}

long exec_state_install_files(const struct exec_state_hdr *h)
{
	const char *cwd, *path, *end = (const char *)h + h->total;
	const char *p = strings(h, &cwd, &path, NULL, NULL);
	strlcpy(fs_cwd, cwd, sizeof(fs_cwd));
	/* dup'ed descriptors share one file, as before the exec */
	struct file **by_host = heap_zalloc(sizeof(*by_host) * (h->nfds + 1));
	int *host_of = heap_zalloc(sizeof(*host_of) * (h->nfds + 1));
	int nshared = 0;
	if (!by_host || !host_of) {
		heap_free(by_host);
		heap_free(host_of);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < h->nfds && p + sizeof(struct exec_state_fd) <= end; i++) {
		struct exec_state_fd r;
		memcpy(&r, p, sizeof(r));
		const char *fpath = p + sizeof(r);
		p = fpath + r.path_len + 1;
		if (p > end)
			break;
		struct file *f = NULL;
		for (int k = 0; k < nshared && r.host_fd >= 0; k++)
			if (host_of[k] == r.host_fd) {
				f = by_host[k];
				file_get(f);
			}
		if (!f && r.host_fd >= 0) {
			pal_fcntl(r.host_fd, F_SETFD, FD_CLOEXEC);
			f = file_new(r.manifest_index >= 0 ? &image_file_ops : &host_file_ops,
				     r.host_fd, r.flags, fpath);
			if (f) {
				f->type = r.type;
				f->manifest_index = r.manifest_index;
				if (fpath[0] == '/')
					f->mnt = mount_of(fpath);
				host_of[nshared] = r.host_fd;
				by_host[nshared++] = f;
			}
		} else if (!f && fs_open_kernel(AT_FDCWD, fpath, r.flags & ~(O_CREAT | O_TRUNC | O_EXCL), &f) < 0) {
			log_info("execve: descriptor %d (%s) could not be opened again: closed", r.app_fd, fpath);
			continue;
		}
		if (f && fd_install_at(f, r.app_fd, 0) < 0)
			file_put(f);
	}
	heap_free(by_host);
	heap_free(host_of);
	return 0;
}
