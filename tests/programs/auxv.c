/* tests/programs/auxv.c — the auxiliary vector: every AT_ entry a loader or libc reads is present
 * with Linux's meaning (page size, ids, entry point, random bytes, exec name, vDSO, platform). */
#include "check.h"
#include <elf.h>
#include <libgen.h>
#include <sys/auxv.h>

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

static unsigned long need(unsigned long type, const char *name)
{
	errno = 0;
	unsigned long v = getauxval(type);
	if (v == 0 && errno == ENOENT)
		fail("getauxval(%s): expected present, got ENOENT", name);
	return v;
}

int main(int argc, char **argv)
{
	(void)argc;
	Elf64_Phdr *ph = (Elf64_Phdr *)need(AT_PHDR, "AT_PHDR");
	expect_eq(need(AT_PHENT, "AT_PHENT"), sizeof(Elf64_Phdr), "AT_PHENT");
	unsigned long phnum = need(AT_PHNUM, "AT_PHNUM");
	expect_true(phnum > 0 && phnum < 64, "AT_PHNUM in 1..63");
	int has_phdr_self = 0, has_load = 0;
	for (unsigned long i = 0; i < phnum; i++) {
		has_phdr_self |= ph[i].p_type == PT_PHDR;
		has_load |= ph[i].p_type == PT_LOAD;
	}
	expect_true(has_load, "program headers at AT_PHDR include a PT_LOAD");
	(void)has_phdr_self;
	ok("AT_PHDR points at the program's headers (AT_PHENT, AT_PHNUM agree)");
	expect_eq(need(AT_PAGESZ, "AT_PAGESZ"), 4096, "AT_PAGESZ");
	expect_eq(sysconf(_SC_PAGESIZE), 4096, "sysconf(_SC_PAGESIZE)");
	ok("AT_PAGESZ is 4096");
	unsigned long entry = need(AT_ENTRY, "AT_ENTRY");
	extern char _start[];
	expect_eq(entry, (unsigned long)_start, "AT_ENTRY == &_start");
	ok("AT_ENTRY is the program's _start");
	expect_eq(need(AT_UID, "AT_UID"), getuid(), "AT_UID");
	expect_eq(need(AT_EUID, "AT_EUID"), geteuid(), "AT_EUID");
	expect_eq(need(AT_GID, "AT_GID"), getgid(), "AT_GID");
	expect_eq(need(AT_EGID, "AT_EGID"), getegid(), "AT_EGID");
	expect_eq(getuid(), 0, "uid");
	ok("AT_UID, AT_EUID, AT_GID, AT_EGID are 0 and match the id calls");
	expect_eq(need(AT_SECURE, "AT_SECURE"), 0, "AT_SECURE");
	ok("AT_SECURE is 0");
	const unsigned char *rnd = (const unsigned char *)need(AT_RANDOM, "AT_RANDOM");
	expect_true(rnd != NULL, "AT_RANDOM non-null");
	unsigned acc = 0;
	for (int i = 0; i < 16; i++)
		acc |= rnd[i];
	expect_true(acc != 0, "AT_RANDOM bytes not all zero");
	ok("AT_RANDOM points at 16 readable bytes, not all zero");
	need(AT_HWCAP, "AT_HWCAP");
	ok("AT_HWCAP is present");
	const char *execfn = (const char *)need(AT_EXECFN, "AT_EXECFN");
	expect_true(execfn != NULL, "AT_EXECFN non-null");
	if (strcmp(execfn, argv[0]) != 0) {
		char a[4096], b[4096];
		snprintf(a, sizeof a, "%s", execfn);
		snprintf(b, sizeof b, "%s", argv[0]);
		expect_str(basename(a), basename(b), "basename(AT_EXECFN) vs basename(argv[0])");
	}
	ok("AT_EXECFN names the executed program");
	expect_str((const char *)need(AT_PLATFORM, "AT_PLATFORM"), "x86_64", "AT_PLATFORM");
	ok("AT_PLATFORM is \"x86_64\"");
	expect_eq(need(AT_CLKTCK, "AT_CLKTCK"), 100, "AT_CLKTCK");
	expect_eq(sysconf(_SC_CLK_TCK), 100, "sysconf(_SC_CLK_TCK)");
	ok("AT_CLKTCK is 100");
	const unsigned char *vdso = (const unsigned char *)need(AT_SYSINFO_EHDR, "AT_SYSINFO_EHDR");
	expect_true(vdso != NULL, "AT_SYSINFO_EHDR non-null");
	expect_mem(vdso, ELFMAG, SELFMAG, "AT_SYSINFO_EHDR magic");
	expect_eq(((const Elf64_Ehdr *)vdso)->e_type, ET_DYN, "vDSO e_type");
	ok("AT_SYSINFO_EHDR points at an ELF shared object header");
	errno = 0;
	unsigned long mss = getauxval(AT_MINSIGSTKSZ);
	if (!(mss == 0 && errno == ENOENT))
		expect_true(mss > 0, "AT_MINSIGSTKSZ > 0 when present");
	ok("AT_MINSIGSTKSZ is positive when present");
	errno = 0;
	expect_eq(getauxval(12345), 0, "getauxval(unknown)");
	expect_eq(errno, ENOENT, "getauxval(unknown) errno");
	ok("an unknown AT_ type is absent (ENOENT)");
	return 0;
}
