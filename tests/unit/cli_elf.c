/* tests/unit/cli_elf.c — ELF reading (cli/elf.c) and loader paths (cli/ldpaths.c): this test
 * binary's own PT_INTERP and DT_NEEDED, non-ELF and truncated files, and an ld.so.conf with a
 * relative glob include. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cli/elf.c"
#include "../../cli/fileio.c"
#include "../../cli/ldpaths.c"
#include "../../cli/path.c"
#include "../../cli/util.c"

#include "unit.h"

static void put(const char *path, const char *text)
{
	write_file_atomic(path, text, strlen(text), 0644);
}

int main(void)
{
	char dir[] = "/tmp/cli_elf.XXXXXX", *p, *q;
	struct elf_info info;
	struct strvec dirs = { 0 };
	uint8_t *self;
	size_t len;

	/* this program is itself a dynamic x86-64 ELF linked against libc */
	CHECK("reading our own executable works", elf_read("/proc/self/exe", &info) == 0);
	CHECK("it is x86-64", info.kind == ELF_X86_64);
	CHECK("PT_INTERP is the x86-64 loader", info.interp &&
	      strstr(info.interp, "ld-linux-x86-64.so.2"));
	CHECK("DT_NEEDED has libc.so.6", strvec_has(&info.needed, "libc.so.6"));
	elf_free(&info);

	if (!mkdtemp(dir))
		return 1;
	p = path_join(dir, "text");
	put(p, "#!/bin/sh\n");
	CHECK("a script is not ELF", elf_read(p, &info) == 0 && info.kind == ELF_NOT);
	elf_free(&info);
	free(p);

	read_whole_file("/proc/self/exe", &self, &len);
	p = path_join(dir, "truncated");
	write_file_atomic(p, self, 200, 0755);	/* header intact, program headers cut off */
	CHECK("a truncated ELF is -ENOEXEC, not a crash", elf_read(p, &info) == -ENOEXEC);
	elf_free(&info);
	free(p);
	p = path_join(dir, "i386");
	self[EI_CLASS] = ELFCLASS32;
	write_file_atomic(p, self, len, 0755);
	CHECK("a 32-bit ELF is another kind, with no closure", elf_read(p, &info) == 0 &&
	      info.kind == ELF_OTHER && info.needed.n == 0);
	elf_free(&info);
	free(p);
	free(self);

	p = path_join(dir, "ld.so.conf");
	q = path_join(dir, "conf.d");
	mkdir(q, 0755);
	free(q);
	put(p, "# comment\n/opt/first\ninclude conf.d/*.conf\n  /opt/last  \n");
	q = path_join(dir, "conf.d/b.conf");
	put(q, "/opt/b\n/opt/first\n");
	free(q);
	q = path_join(dir, "conf.d/a.conf");
	put(q, "/opt/a # trailing comment\n");
	free(q);
	ldpaths_load(p, &dirs);
	CHECK("ld.so.conf order: file, includes sorted, then defaults",
	      dirs.n >= 5 && strcmp(dirs.v[0], "/opt/first") == 0 &&
	      strcmp(dirs.v[1], "/opt/a") == 0 && strcmp(dirs.v[2], "/opt/b") == 0 &&
	      strcmp(dirs.v[3], "/opt/last") == 0 &&
	      strcmp(dirs.v[4], "/lib/x86_64-linux-gnu") == 0);
	CHECK("each directory once", dirs.n == 10);
	CHECK("defaults end with /usr/lib", strcmp(dirs.v[dirs.n - 1], "/usr/lib") == 0);
	strvec_free(&dirs);
	free(p);
	remove_tree(dir);
	return failures ? 1 : 0;
}
