/* cli/elf.c — reads, from an ELF file on the host, what decides its shared-library closure:
 * PT_INTERP, DT_NEEDED, DT_RUNPATH, DT_RPATH. Every offset is bounds-checked against the file
 * size, so a truncated or hostile file gives -ENOEXEC, never a crash. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int elf_kind_fd(int fd)
{
	Elf64_Ehdr eh;
	ssize_t n = pread(fd, &eh, sizeof(eh), 0);

	if (n < 0)
		return -errno;
	if ((size_t)n < EI_NIDENT || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return ELF_NOT;
	if ((size_t)n < sizeof(eh) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64 ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN))
		return ELF_OTHER;
	return ELF_X86_64;
}

struct elf_file {
	const uint8_t *d;
	size_t size;
	const Elf64_Phdr *ph;
	size_t phnum;
};

/* File offset of virtual address `a` through the PT_LOAD segments; (size_t)-1 if none. */
static size_t elf_vaddr_off(const struct elf_file *f, uint64_t a)
{
	for (size_t i = 0; i < f->phnum; i++) {
		const Elf64_Phdr *p = &f->ph[i];
		if (p->p_type == PT_LOAD && a >= p->p_vaddr && a - p->p_vaddr < p->p_filesz)
			return (size_t)(a - p->p_vaddr + p->p_offset);
	}
	return (size_t)-1;
}

/* A NUL-terminated string at file offset off, or NULL if it runs off the end. */
static const char *elf_str(const struct elf_file *f, size_t off)
{
	if (off >= f->size || !memchr(f->d + off, '\0', f->size - off))
		return NULL;
	return (const char *)f->d + off;
}

static void elf_split(struct strvec *sv, const char *s)
{
	char *copy = xstrdup(s), *save = NULL;

	for (char *t = strtok_r(copy, ":", &save); t; t = strtok_r(NULL, ":", &save))
		strvec_push(sv, t);
	free(copy);
}

static int elf_dynamic(const struct elf_file *f, const Elf64_Phdr *dp, struct elf_info *info)
{
	const Elf64_Dyn *dyn;
	size_t n, stroff;
	uint64_t strtab = 0, strsz = 0;

	if (dp->p_offset > f->size || dp->p_filesz > f->size - dp->p_offset)
		return -ENOEXEC;
	dyn = (const Elf64_Dyn *)(f->d + dp->p_offset);
	n = dp->p_filesz / sizeof(*dyn);
	for (size_t i = 0; i < n && dyn[i].d_tag != DT_NULL; i++) {
		if (dyn[i].d_tag == DT_STRTAB)
			strtab = dyn[i].d_un.d_ptr;
		else if (dyn[i].d_tag == DT_STRSZ)
			strsz = dyn[i].d_un.d_val;
	}
	if (!strtab)
		return 0;	/* no dynamic strings: nothing needed */
	stroff = elf_vaddr_off(f, strtab);
	if (stroff == (size_t)-1 || stroff >= f->size)
		return -ENOEXEC;
	for (size_t i = 0; i < n && dyn[i].d_tag != DT_NULL; i++) {
		int64_t tag = dyn[i].d_tag;
		const char *s;
		if (tag != DT_NEEDED && tag != DT_RUNPATH && tag != DT_RPATH)
			continue;
		if (strsz && dyn[i].d_un.d_val >= strsz)
			return -ENOEXEC;
		s = elf_str(f, stroff + dyn[i].d_un.d_val);
		if (!s)
			return -ENOEXEC;
		if (tag == DT_NEEDED)
			strvec_push(&info->needed, s);
		else
			elf_split(tag == DT_RUNPATH ? &info->runpath : &info->rpath, s);
	}
	return 0;
}

static int elf_parse(const struct elf_file *f0, struct elf_info *info)
{
	struct elf_file f = *f0;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f.d;
	int r = 0;

	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > f.size ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > f.size - eh->e_phoff)
		return -ENOEXEC;
	f.ph = (const Elf64_Phdr *)(f.d + eh->e_phoff);
	f.phnum = eh->e_phnum;
	for (size_t i = 0; i < f.phnum && !r; i++) {
		const Elf64_Phdr *p = &f.ph[i];
		if (p->p_type == PT_INTERP) {
			const char *s = p->p_offset < f.size ? elf_str(&f, p->p_offset) : NULL;
			if (!s)
				return -ENOEXEC;
			free(info->interp);
			info->interp = xstrdup(s);
		} else if (p->p_type == PT_DYNAMIC) {
			r = elf_dynamic(&f, p, info);
		}
	}
	return r;
}

int elf_read(const char *path, struct elf_info *info)
{
	struct elf_file f = { 0 };
	struct stat st;
	void *map;
	int fd, r;

	memset(info, 0, sizeof(*info));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = elf_kind_fd(fd);
	if (r < 0 || r != ELF_X86_64) {
		info->kind = r < 0 ? ELF_NOT : (enum elf_kind)r;
		close(fd);
		return r < 0 ? r : 0;
	}
	info->kind = ELF_X86_64;
	if (fstat(fd, &st) < 0 || (size_t)st.st_size < sizeof(Elf64_Ehdr)) {
		close(fd);
		return -ENOEXEC;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -errno;
	f.d = map;
	f.size = (size_t)st.st_size;
	r = elf_parse(&f, info);
	munmap(map, f.size);
	return r;
}

void elf_free(struct elf_info *info)
{
	free(info->interp);
	strvec_free(&info->needed);
	strvec_free(&info->runpath);
	strvec_free(&info->rpath);
	memset(info, 0, sizeof(*info));
}
