/* libos/loader/elf_load.h — internal interface between the exec driver and the ELF mapper. */
#ifndef LIBOS_ELF_LOAD_H
#define LIBOS_ELF_LOAD_H

#include <stdint.h>
#include <linux/elf.h>

struct file;

#ifndef PF_X
#define PF_X 1
#define PF_W 2
#define PF_R 4
#endif

struct elf_info {
	uint64_t base, entry, phdr, phnum, brk;
};

long elf_check_header(const Elf64_Ehdr *eh, uint64_t file_size);
long elf_map(struct file *f, const Elf64_Ehdr *eh, const Elf64_Phdr *ph, int is_main,
	    struct elf_info *out);

#endif
