/* tests/programs/getdents_old.c — the old getdents (nr 78): struct linux_dirent with d_type in
 * the record's last byte; every name once with its type, small buffers, EINVAL for a buffer too
 * small for one record, ENOTDIR and EBADF. */
#include "check.h"

struct old_dirent {
	unsigned long d_ino;
	unsigned long d_off;
	unsigned short d_reclen;
	char d_name[];
};

static int find(const char *name, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

int main(void)
{
	const char *d = scratch_path("d");
	char p[512];
	expect_ok(mkdir(d, 0755), "mkdir");
	static const char *const names[] = { ".", "..", "file", "a_much_longer_file_name_for_padding",
					     "sub", "link" };
	static const unsigned char types[] = { DT_DIR, DT_DIR, DT_REG, DT_REG, DT_DIR, DT_LNK };
	snprintf(p, sizeof p, "%s/file", d);
	close(expect_ok(open(p, O_CREAT | O_WRONLY, 0644), "create"));
	snprintf(p, sizeof p, "%s/%s", d, names[3]);
	close(expect_ok(open(p, O_CREAT | O_WRONLY, 0644), "create long"));
	snprintf(p, sizeof p, "%s/sub", d);
	expect_ok(mkdir(p, 0755), "mkdir sub");
	snprintf(p, sizeof p, "%s/link", d);
	expect_ok(symlink("file", p), "symlink");

	int fd = expect_ok(open(d, O_RDONLY | O_DIRECTORY), "open dir");
	int seen[6] = { 0 };
	char buf[72] __attribute__((aligned(8)));
	int calls = 0;
	for (;;) {
		long got = expect_ok(syscall(SYS_getdents, fd, buf, sizeof buf), "getdents");
		if (got == 0)
			break;
		calls++;
		for (long at = 0; at < got;) {
			struct old_dirent *e = (struct old_dirent *)(buf + at);
			expect_true(e->d_reclen % 8 == 0 && e->d_reclen >= 20, "record length aligned");
			int i = find(e->d_name, names, 6);
			if (i < 0)
				fail("unexpected name \"%s\"", e->d_name);
			seen[i]++;
			unsigned char type = (unsigned char)buf[at + e->d_reclen - 1];
			if (type != types[i])
				fail("%s: expected d_type %d, got %d", e->d_name, types[i], type);
			expect_true(e->d_ino != 0, "d_ino set");
			at += e->d_reclen;
		}
	}
	for (int i = 0; i < 6; i++)
		if (seen[i] != 1)
			fail("%s: expected once, seen %d times", names[i], seen[i]);
	expect_true(calls > 1, "a small buffer takes several calls");
	ok("getdents returns every entry once with d_type in the record's last byte");

	expect_ok(lseek(fd, 0, SEEK_SET), "rewind");
	expect_err(syscall(SYS_getdents, fd, buf, 8), EINVAL, "buffer too small");
	ok("getdents with a buffer too small for one record is EINVAL");
	close(fd);

	int f = expect_ok(open(scratch_file("plain", "x", 0644), O_RDONLY), "open file");
	expect_err(syscall(SYS_getdents, f, buf, sizeof buf), ENOTDIR, "not a dir");
	close(f);
	expect_err(syscall(SYS_getdents, 9999, buf, sizeof buf), EBADF, "bad fd");
	ok("getdents on a file is ENOTDIR, on a closed fd EBADF");
	return 0;
}
