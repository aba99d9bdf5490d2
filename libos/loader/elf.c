/* libos/loader/elf.c — maps an x86-64 ELF executable or shared object from an open file the way
 * Linux's binfmt_elf does: segments at page granularity, bss zeroed, a PIE placed at a random
 * base far from the runtime, ET_EXEC at its fixed addresses (refused if they overlap the runtime). */
#include "elf_load.h"
#include "../config.h"
#include "../errno.h"
#include "../log.h"
#include "../vm/vm.h"
#include "../../pal/pal.h"
#include "../../lib/mem.h"
#include <linux/mman.h>

#define PIE_BASE 0x100000000000ull	/* 16 TiB: above ET_EXEC programs, below the mmap area */

static int prot_of(uint32_t pflags)
{
	return ((pflags & PF_R) ? PROT_READ : 0) | ((pflags & PF_W) ? PROT_WRITE : 0) |
	       ((pflags & PF_X) ? PROT_EXEC : 0);
}

long elf_check_header(const Elf64_Ehdr *eh, uint64_t file_size)
{
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64 ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 || eh->e_phnum > 128 ||
	    eh->e_phoff > file_size || eh->e_phnum * sizeof(Elf64_Phdr) > file_size - eh->e_phoff)
		return -ENOEXEC;
	return 0;
}

static uint64_t random_pages(uint64_t max_pages)
{
	uint64_t r = 0;
	if (!cfg->aslr)
		return 0;
	pal_getrandom(&r, sizeof(r), 0);
	return (r % max_pages) * PAGE_SIZE;
}

/* Maps one PT_LOAD at base + p_vaddr (inside the reservation). */
static long map_segment(struct file *f, uint64_t base, const Elf64_Phdr *ph)
{
	uint64_t start = base + ph->p_vaddr;
	uint64_t page = start & ~(PAGE_SIZE - 1);
	uint64_t file_end = start + ph->p_filesz;
	uint64_t mem_end = start + ph->p_memsz;
	int prot = prot_of(ph->p_flags);
	long r;
	if (ph->p_filesz) {
		r = vm_mmap(page, PAGE_ALIGN(file_end) - page, prot, MAP_PRIVATE | MAP_FIXED, f,
			    ph->p_offset - (start - page));
		if (r < 0)
			return r;
	}
	if (ph->p_memsz > ph->p_filesz) {
		/* The tail of the last file page belongs to bss: zero it. */
		uint64_t tail = PAGE_ALIGN(file_end);
		if (ph->p_filesz && tail > file_end) {
			if (!(prot & PROT_WRITE))
				pal_mprotect((void *)page, tail - page, prot | PROT_WRITE);
			memset((void *)file_end, 0, tail - file_end);
			if (!(prot & PROT_WRITE))
				pal_mprotect((void *)page, tail - page, prot);
		}
		uint64_t anon = ph->p_filesz ? tail : page;
		if (PAGE_ALIGN(mem_end) > anon) {
			r = vm_mmap(anon, PAGE_ALIGN(mem_end) - anon, prot,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

long elf_map(struct file *f, const Elf64_Ehdr *eh, const Elf64_Phdr *ph, int is_main,
	    struct elf_info *out)
{
	uint64_t lo = ~0ull, hi = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_memsz < ph[i].p_filesz || ph[i].p_vaddr + ph[i].p_memsz < ph[i].p_vaddr ||
		    (ph[i].p_vaddr - ph[i].p_offset) % PAGE_SIZE)
			return -ENOEXEC;
		if (ph[i].p_vaddr < lo)
			lo = ph[i].p_vaddr;
		if (ph[i].p_vaddr + ph[i].p_memsz > hi)
			hi = ph[i].p_vaddr + ph[i].p_memsz;
	}
	if (lo == ~0ull)
		return -ENOEXEC;
	lo &= ~(PAGE_SIZE - 1);
	uint64_t span = PAGE_ALIGN(hi) - lo;
	uint64_t base;
	long r;
	/* Reserve the whole span first (as binfmt_elf does), map the segments into it, then give
	 * back the holes between them. */
	if (eh->e_type == ET_EXEC) {
		r = vm_mmap(lo, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
			    NULL, 0);
		if (r < 0) {
			log_error("cannot place the program at %#lx-%#lx: %ld", (unsigned long)lo,
				  (unsigned long)(lo + span), r);
			return r == -EEXIST ? -ENOMEM : r;
		}
		base = 0;
	} else {
		uint64_t hint = is_main ? PIE_BASE + random_pages(1ull << 24) : 0;
		r = vm_mmap(hint, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, NULL, 0);
		if (r < 0)
			return r;
		base = (uint64_t)r - lo;
	}
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		r = map_segment(f, base, &ph[i]);
		if (r < 0)
			return r;
	}
	uint64_t covered = lo;	/* PT_LOADs come sorted by address (the ELF spec says so) */
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		uint64_t s = (ph[i].p_vaddr & ~(PAGE_SIZE - 1)), e = PAGE_ALIGN(ph[i].p_vaddr + ph[i].p_memsz);
		if (s > covered)
			vm_munmap(base + covered, s - covered);
		if (e > covered)
			covered = e;
	}
	out->base = base;
	out->entry = base + eh->e_entry;
	out->phnum = eh->e_phnum;
	out->phdr = 0;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_PHDR)
			out->phdr = base + ph[i].p_vaddr;
	if (!out->phdr)	/* no PT_PHDR: the headers sit in the segment that maps file offset 0 */
		for (int i = 0; i < eh->e_phnum; i++)
			if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
				out->phdr = base + ph[i].p_vaddr + eh->e_phoff;
	out->brk = base + PAGE_ALIGN(hi);
	return 0;
}
