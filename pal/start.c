/* pal/start.c — first C code of cella-runtime: applies the runtime's own relative relocations
 * (it is a static PIE with no loader), collects what the host passed at exec, calls libos_main.
 * Until relocation is done, only locals and hidden symbols may be touched. */
#include "pal.h"
#include "../lib/mem.h"
#include <linux/auxvec.h>
#include <linux/elf.h>

#define R_X86_64_RELATIVE 8

extern const Elf64_Dyn _DYNAMIC[] __attribute__((visibility("hidden")));
extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));
extern char _end[] __attribute__((visibility("hidden")));

static void relocate_self(uint64_t base)
{
	const Elf64_Rela *rela = 0;
	uint64_t relasz = 0;
	for (const Elf64_Dyn *d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
		if (d->d_tag == DT_RELA)
			rela = (const Elf64_Rela *)(base + d->d_un.d_ptr);
		else if (d->d_tag == DT_RELASZ)
			relasz = d->d_un.d_val;
	}
	for (uint64_t i = 0; rela && i < relasz / sizeof(*rela); i++) {
		if (ELF64_R_TYPE(rela[i].r_info) != R_X86_64_RELATIVE)
			pal_panic("cella-runtime: unexpected relocation type in runtime image");
		*(uint64_t *)(base + rela[i].r_offset) = base + rela[i].r_addend;
	}
}

/* Maps every page of the runtime image at once: one madvise per segment instead of a page fault
 * per page first touched. On hosts where a fault is dear (a nested guest: ~14 us against ~0.7 us
 * a page populated) this is a good part of start-up. */
static void populate_self(uint64_t base)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + __ehdr_start.e_phoff);
	for (int i = 0; i < __ehdr_start.e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		uint64_t s = (base + ph[i].p_vaddr) & ~4095ull;
		uint64_t e = (base + ph[i].p_vaddr + ph[i].p_memsz + 4095) & ~4095ull;
		pal_madvise((void *)s, e - s, (ph[i].p_flags & PF_W) ? 23 /* MADV_POPULATE_WRITE */
								    : 22 /* MADV_POPULATE_READ */);
	}
}

__attribute__((noreturn, used)) void pal_start(uint64_t *sp)
{
	uint64_t base = (uint64_t)&__ehdr_start;
	populate_self(base);
	relocate_self(base);
	lib_fail = pal_panic;

	struct pal_boot boot = { 0 };
	boot.argc = (int)sp[0];
	boot.argv = (char **)(sp + 1);
	boot.envp = boot.argv + boot.argc + 1;
	char **e = boot.envp;
	while (*e)
		e++;
	boot.auxv = (uint64_t *)(e + 1);
	boot.clktck = 100;
	for (uint64_t *a = boot.auxv; a[0] != AT_NULL; a += 2) {
		switch (a[0]) {
		case AT_SYSINFO_EHDR: boot.sysinfo_ehdr = a[1]; break;
		case AT_HWCAP: boot.hwcap = a[1]; break;
		case AT_HWCAP2: boot.hwcap2 = a[1]; break;
		case AT_MINSIGSTKSZ: boot.minsigstksz = a[1]; break;
		case AT_CLKTCK: boot.clktck = a[1]; break;
		}
	}
	boot.runtime_base = base;
	boot.runtime_end = ((uint64_t)_end + 4095) & ~4095ull;
	libos_main(&boot);
}

__attribute__((noreturn)) void pal_panic(const char *msg)
{
	size_t n = 0;
	while (msg[n])
		n++;
	pal_write(2, msg, n);
	pal_write(2, "\n", 1);
	pal_die_by_signal(6 /* SIGABRT */);
}

/* Called by code built with stack protection or fortification (Debian's BearSSL). */
__attribute__((noreturn)) void __stack_chk_fail(void)
{
	pal_panic("cella-runtime: stack smashing detected in the runtime");
}
