/* libos/loader/stack.c — builds the initial stack. From the top: an 8-byte end marker, execfn,
 * envp strings, argv strings, platform string, 16 random bytes; then (16-byte aligned) argc,
 * argv[], NULL, envp[], NULL, auxv pairs, AT_NULL. */
#include "stack.h"
#include "../config.h"
#include "../errno.h"
#include "../process/process.h"
#include "../process/cred.h"
#include "../vm/vm.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include <linux/auxvec.h>
#include <linux/mman.h>

#define MAX_ARG_BYTES (2u << 20)

struct host_facts host_facts;
static uint64_t saved_auxv[STACK_AUXV_BYTES / 8];

const uint64_t *stack_saved_auxv(void) { return saved_auxv; }

static uint64_t push_str(uint64_t *top, const char *s)
{
	size_t n = strlen(s) + 1;
	*top -= n;
	memcpy((void *)*top, s, n);
	return *top;
}

/* Saves argv/envp as NUL-separated blobs for /proc/self/cmdline and environ. */
static void save_blob(char *const *v, int count, char **out, size_t *out_len)
{
	size_t total = 0;
	for (int i = 0; i < count; i++)
		total += strlen(v[i]) + 1;
	*out = heap_alloc(total ? total : 1);
	*out_len = 0;
	if (!*out)
		return;
	for (int i = 0; i < count; i++) {
		size_t n = strlen(v[i]) + 1;
		memcpy(*out + *out_len, v[i], n);
		*out_len += n;
	}
}

long stack_build(const struct stack_args *a, uint64_t *sp_out)
{
	int envc = 0;
	size_t bytes = strlen(a->execfn) + 1 + 64;
	while (a->envp[envc])
		bytes += strlen(a->envp[envc++]) + 1;
	for (int i = 0; i < a->argc; i++)
		bytes += strlen(a->argv[i]) + 1;
	if (bytes > MAX_ARG_BYTES)
		return -E2BIG;
	/* Like Linux: the strings and vectors plus 128 KiB to start with; the stack grows on demand
	 * (vm/stack.c) up to RLIMIT_STACK. */
	uint64_t size = PAGE_ALIGN(bytes + (uint64_t)(envc + a->argc + 64) * 8 + (128u << 10));
	uint64_t top;
	long r = vm_map_main_stack(size, &top);
	if (r < 0)
		return r;
	uint64_t rnd_off = 0;
	if (cfg->aslr) {	/* Linux shifts the stack top by a random amount too */
		pal_getrandom(&rnd_off, sizeof(rnd_off), 0);
		rnd_off = (rnd_off % 64) * 16;
	}
	top -= 8 + rnd_off;
	*(uint64_t *)top = 0;
	uint64_t execfn = push_str(&top, a->execfn);
	uint64_t *envs = heap_alloc(sizeof(uint64_t) * (size_t)(envc + 1));
	uint64_t *args = heap_alloc(sizeof(uint64_t) * (size_t)(a->argc + 1));
	if (!envs || !args) {
		heap_free(envs);
		heap_free(args);
		return -ENOMEM;
	}
	for (int i = envc - 1; i >= 0; i--)
		envs[i] = push_str(&top, a->envp[i]);
	for (int i = a->argc - 1; i >= 0; i--)
		args[i] = push_str(&top, a->argv[i]);
	uint64_t platform = push_str(&top, "x86_64");
	top = (top - 16) & ~15ull;
	uint64_t random = top;
	pal_getrandom((void *)random, 16, 0);

	uint64_t auxv[][2] = {
		{ AT_SYSINFO_EHDR, host_facts.sysinfo_ehdr },
		{ AT_MINSIGSTKSZ, host_facts.minsigstksz },
		{ AT_HWCAP, host_facts.hwcap },
		{ AT_PAGESZ, PAGE_SIZE },
		{ AT_CLKTCK, host_facts.clktck ? host_facts.clktck : 100 },
		{ AT_PHDR, a->phdr },
		{ AT_PHENT, 56 },
		{ AT_PHNUM, a->phnum },
		{ AT_BASE, a->interp_base },
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, a->entry },
		{ AT_UID, proc.uid },
		{ AT_EUID, proc.euid },
		{ AT_GID, proc.gid },
		{ AT_EGID, proc.egid },
		{ AT_SECURE, (uint64_t)cred_secure_exec() },
		{ AT_RANDOM, random },
		{ AT_HWCAP2, host_facts.hwcap2 },
		{ AT_EXECFN, execfn },
		{ AT_PLATFORM, platform },
		{ AT_NULL, 0 },
	};
	int first = host_facts.sysinfo_ehdr ? 0 : 1;	/* no vDSO: leave AT_SYSINFO_EHDR out */
	int nauxv = (int)(sizeof(auxv) / sizeof(auxv[0])) - first;
	int words = 1 + a->argc + 1 + envc + 1 + nauxv * 2;
	top -= (uint64_t)words * 8;
	top &= ~15ull;
	uint64_t *sp = (uint64_t *)top;
	*sp++ = (uint64_t)a->argc;
	for (int i = 0; i < a->argc; i++)
		*sp++ = args[i];
	*sp++ = 0;
	for (int i = 0; i < envc; i++)
		*sp++ = envs[i];
	*sp++ = 0;
	memcpy(sp, auxv[first], (size_t)nauxv * 16);
	_Static_assert(sizeof(auxv) <= STACK_AUXV_BYTES, "saved_auxv holds the whole vector");
	memcpy(saved_auxv, auxv[first], (size_t)nauxv * 16);
	save_blob(a->argv, a->argc, &proc.cmdline, &proc.cmdline_len);
	save_blob(a->envp, envc, &proc.environ, &proc.environ_len);
	heap_free(envs);
	heap_free(args);
	*sp_out = top;
	vm_set_start_stack(top);
	return 0;
}
