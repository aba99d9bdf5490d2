/* libos/loader/exec.c — loader_exec: resolves #! chains (at most 4 deep, like Linux), checks the
 * file is an executable x86-64 ELF, maps it and its interpreter, and builds the initial stack. */
#include "loader.h"
#include "elf_load.h"
#include "stack.h"
#include "../errno.h"
#include "../log.h"
#include "../fs/fs.h"
#include "../vm/vm.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include <linux/fcntl.h>

#define BINPRM_BUF_SIZE 256
#define MAX_SCRIPT_DEPTH 4
#define MAX_ARGS 4096

struct loaded {
	struct file *f;
	Elf64_Ehdr eh;
	Elf64_Phdr ph[128];
	uint64_t size;
	struct loader_file id;
};

static long open_exec(const char *path, struct loaded *l, char *head, long *head_len)
{
	long r = fs_open_kernel(AT_FDCWD, path, O_RDONLY, &l->f);
	if (r < 0)
		return r;
	struct stat st;
	r = l->f->ops->stat(l->f, &st);
	/* Linux's may_open for MAY_EXEC: EACCES for what is not a regular file, then the
	 * permission check (execute, for the caller's fs ids; root too needs an x bit). */
	if (r >= 0 && !S_ISREG(st.st_mode))
		r = -EACCES;
	else if (r >= 0)
		r = fs_permission(st.st_mode, st.st_uid, st.st_gid, MAY_EXEC);
	if (r < 0) {
		file_put(l->f);
		l->f = NULL;
		return r;
	}
	l->size = (uint64_t)st.st_size;
	l->id = (struct loader_file){ st.st_mode, st.st_uid, st.st_gid };
	*head_len = pal_pread(l->f->host_fd, head, BINPRM_BUF_SIZE, 0);
	if (*head_len < 0) {
		file_put(l->f);
		l->f = NULL;
		return *head_len;
	}
	return 0;
}

static long read_elf(struct loaded *l, const char *head, long head_len)
{
	if (head_len < (long)sizeof(Elf64_Ehdr))
		return -ENOEXEC;
	memcpy(&l->eh, head, sizeof(l->eh));
	long r = elf_check_header(&l->eh, l->size);
	if (r < 0)
		return r;
	size_t n = l->eh.e_phnum * sizeof(Elf64_Phdr);
	r = pal_pread(l->f->host_fd, l->ph, n, (long)l->eh.e_phoff);
	return r == (long)n ? 0 : -EIO;
}

/* Parses "#!interp [arg]" from the first line. */
static long parse_shebang(char *head, long len, char **interp, char **arg)
{
	char *end = memchr(head, '\n', (size_t)len);
	if (!end) {
		if (len >= BINPRM_BUF_SIZE)
			return -ENOEXEC;	/* interpreter line too long */
		end = head + len;
	}
	*end = 0;
	char *p = head + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*arg = NULL;
	if (*p) {
		*p++ = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		char *e = p + strlen(p);
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = 0;
		if (*p)
			*arg = p;
	}
	return 0;
}

/* Opens and checks the interpreter; maps it when out is set. */
static long load_interp(const char *path, struct elf_info *out)
{
	struct loaded *l = heap_zalloc(sizeof(*l));
	char head[BINPRM_BUF_SIZE];
	long hl;
	if (!l)
		return -ENOMEM;
	long r = open_exec(path, l, head, &hl);
	if (r >= 0)
		r = read_elf(l, head, hl);
	if (r >= 0 && l->eh.e_type != ET_DYN)
		r = -ELIBBAD;
	if (r >= 0 && out)
		r = elf_map(l->f, &l->eh, l->ph, 0, out);
	if (l->f)
		file_put(l->f);
	heap_free(l);
	return r;
}

static long exec_chain(const char *path, char *const argv_in[], char *const envp[],
		       struct exec_result *res, struct loader_file *prog);

long loader_check(const char *path, struct loader_file *prog)
{
	char *const argv[] = { (char *)path, NULL };
	return exec_chain(path, argv, NULL, NULL, prog);
}

long loader_exec(const char *path, char *const argv[], char *const envp[], struct exec_result *res)
{
	return exec_chain(path, argv, envp, res, NULL);
}

static long exec_chain(const char *path, char *const argv_in[], char *const envp[],
		       struct exec_result *res, struct loader_file *prog)
{
	char head[BINPRM_BUF_SIZE];
	long hl, r;
	struct loaded *l = heap_zalloc(sizeof(*l));
	int argc = 0;
	while (argv_in[argc] && argc < MAX_ARGS)
		argc++;
	/* Room for what #! lines may add: an interpreter and its argument at each level, the
	 * script's name once more if argv was empty, and the NULL. */
	char **argv = heap_alloc(sizeof(char *) * (size_t)(argc + 2 * MAX_SCRIPT_DEPTH + 2));
	char *cur = heap_alloc(LIBOS_PATH_MAX);
	char *interp_path = heap_alloc(LIBOS_PATH_MAX);
	char *heads = heap_alloc(BINPRM_BUF_SIZE * MAX_SCRIPT_DEPTH);
	if (!l || !argv || !cur || !interp_path || !heads) {
		r = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < argc; i++)
		argv[i] = argv_in[i];
	argv[argc] = NULL;
	strlcpy(cur, path, LIBOS_PATH_MAX);
	const char *execfn = path;
	for (int depth = 0;; depth++) {
		r = open_exec(cur, l, head, &hl);
		if (r < 0)
			goto out;
		if (hl < 2 || head[0] != '#' || head[1] != '!')
			break;
		if (depth == MAX_SCRIPT_DEPTH) {
			r = -ELOOP;
			goto out;
		}
		char *h = heads + depth * BINPRM_BUF_SIZE, *interp, *arg;
		memcpy(h, head, (size_t)hl);
		r = parse_shebang(h, hl, &interp, &arg);
		if (r < 0)
			goto out;
		/* argv becomes: interp [arg] script argv[1..] */
		int extra = arg ? 2 : 1;
		if (argc + extra > MAX_ARGS) {
			r = -E2BIG;
			goto out;
		}
		memmove(argv + extra + 1, argv + 1, sizeof(char *) * (size_t)(argc > 0 ? argc - 1 : 0));
		char *script = heap_alloc(strlen(cur) + 1);
		if (!script) {
			r = -ENOMEM;
			goto out;
		}
		memcpy(script, cur, strlen(cur) + 1);
		argv[0] = interp;
		if (arg)
			argv[1] = arg;
		argv[extra] = script;
		argc = argc > 0 ? argc + extra : extra + 1;
		argv[argc] = NULL;
		file_put(l->f);
		l->f = NULL;
		strlcpy(cur, interp, LIBOS_PATH_MAX);
	}
	r = read_elf(l, head, hl);
	if (r < 0)
		goto out;
	if (prog)
		*prog = l->id;
	struct elf_info elf = { 0 }, interp = { 0 };
	int has_interp = 0;
	for (int i = 0; i < l->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &l->ph[i];
		if (ph->p_type != PT_INTERP)
			continue;
		if (ph->p_filesz < 2 || ph->p_filesz >= LIBOS_PATH_MAX) {
			r = -ENOEXEC;
			goto out;
		}
		r = pal_pread(l->f->host_fd, interp_path, ph->p_filesz, (long)ph->p_offset);
		if (r != (long)ph->p_filesz || interp_path[ph->p_filesz - 1] != 0) {
			r = -ENOEXEC;
			goto out;
		}
		has_interp = 1;
	}
	if (!res) {	/* loader_check: everything but mapping */
		r = has_interp ? load_interp(interp_path, NULL) : 0;
		goto out;
	}
	r = elf_map(l->f, &l->eh, l->ph, 1, &elf);
	if (r < 0)
		goto out;
	if (has_interp) {
		r = load_interp(interp_path, &interp);
		if (r < 0) {
			log_info("cannot load the interpreter %s of %s: %ld", interp_path, cur, r);
			goto out;
		}
	}
	vm_set_brk_base(elf.brk);
	strlcpy(proc.exe_path, l->f->path, sizeof(proc.exe_path));
	struct stack_args sa = {
		.argv = argv, .argc = argc, .envp = envp, .execfn = execfn,
		.phdr = elf.phdr, .phnum = elf.phnum, .entry = elf.entry,
		.interp_base = has_interp ? interp.base : 0,
	};
	r = stack_build(&sa, &res->sp);
	if (r < 0)
		goto out;
	res->entry = has_interp ? interp.entry : elf.entry;
	r = 0;
out:
	if (l && l->f)
		file_put(l->f);
	heap_free(l);
	heap_free(argv);
	heap_free(cur);
	heap_free(interp_path);
	heap_free(heads);
	return r;
}
