/* tests/programs/getdents.c — getdents64 on a directory made in /tmp with known entries: every
 * name once (plus . and ..), right d_type, small buffers, EINVAL/ENOTDIR/EBADF cases. */
#include "check.h"

struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *d = scratch_path("d");
	char p[256];
	expect_ok(mkdir(d, 0755), "mkdir");
	static const char *files[] = { "alpha", "beta", "gamma_with_a_longer_name_than_most", "z" };
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s/%s", d, files[i]);
		close(expect_ok(open(p, O_CREAT | O_WRONLY, 0644), "create"));
	}
	snprintf(p, sizeof p, "%s/subdir", d);
	expect_ok(mkdir(p, 0755), "mkdir subdir");
	snprintf(p, sizeof p, "%s/sym", d);
	expect_ok(symlink("alpha", p), "symlink");

	int fd = expect_ok(open(d, O_RDONLY | O_DIRECTORY), "open dir");
	char *names[32];
	unsigned char types[32];
	int n = 0;
	/* a small buffer forces several calls, each returning whole records */
	char buf[64] __attribute__((aligned(8)));
	for (;;) {
		long got = expect_ok(syscall(SYS_getdents64, fd, buf, sizeof buf), "getdents64");
		if (got == 0)
			break;
		for (long off = 0; off < got;) {
			struct linux_dirent64 *de = (struct linux_dirent64 *)(buf + off);
			expect_true(de->d_reclen % 8 == 0 && de->d_reclen > 0, "d_reclen multiple of 8");
			expect_true(off + de->d_reclen <= got, "record within returned bytes");
			expect_true(n < 32, "not too many entries");
			names[n] = strdup(de->d_name);
			types[n] = de->d_type;
			n++;
			off += de->d_reclen;
		}
	}
	ok("getdents64 with a 64-byte buffer returns whole 8-aligned records, then 0");
	expect_eq(syscall(SYS_getdents64, fd, buf, sizeof buf), 0, "getdents64 at end");
	ok("getdents64 at the end keeps returning 0");
	expect_eq(n, 8, "entry count");
	char *sorted[8];
	memcpy(sorted, names, sizeof sorted);
	qsort(sorted, 8, sizeof sorted[0], cmp);
	static const char *want[] = { ".", "..", "alpha", "beta", "gamma_with_a_longer_name_than_most", "subdir", "sym", "z" };
	for (int i = 0; i < 8; i++)
		expect_str(sorted[i], want[i], "sorted entry");
	ok("every entry appears once: . .. alpha beta gamma_with_a_longer_name_than_most subdir sym z");
	for (int i = 0; i < n; i++) {
		unsigned char want_type = DT_REG;
		if (!strcmp(names[i], ".") || !strcmp(names[i], "..") || !strcmp(names[i], "subdir"))
			want_type = DT_DIR;
		else if (!strcmp(names[i], "sym"))
			want_type = DT_LNK;
		if (types[i] != want_type)
			fail("d_type of %s: expected %d, got %d", names[i], want_type, types[i]);
	}
	ok("d_type is DT_DIR for . .. subdir, DT_LNK for sym, DT_REG for files");

	expect_ok(lseek(fd, 0, SEEK_SET), "rewind dir");
	char big[4096] __attribute__((aligned(8)));
	long got = expect_ok(syscall(SYS_getdents64, fd, big, sizeof big), "getdents64 big");
	int m = 0;
	for (long off = 0; off < got; m++)
		off += ((struct linux_dirent64 *)(big + off))->d_reclen;
	expect_eq(m, 8, "entries after rewind in one call");
	ok("lseek(dirfd, 0, SEEK_SET) rewinds; a large buffer gets all 8 in one call");

	expect_ok(lseek(fd, 0, SEEK_SET), "rewind dir");
	expect_err(syscall(SYS_getdents64, fd, big, 8), EINVAL, "buffer too small for one record");
	ok("getdents64 with a buffer too small for one record is EINVAL");
	close(fd);
	int ffd = expect_ok(open(scratch_path("d/alpha"), O_RDONLY), "open file");
	expect_err(syscall(SYS_getdents64, ffd, big, sizeof big), ENOTDIR, "getdents64 on a file");
	close(ffd);
	ok("getdents64 on a regular file is ENOTDIR");
	expect_err(syscall(SYS_getdents64, ffd, big, sizeof big), EBADF, "getdents64 on closed fd");
	ok("getdents64 on a closed fd is EBADF");

	/* an empty directory has exactly . and .. */
	snprintf(p, sizeof p, "%s/subdir", d);
	fd = expect_ok(open(p, O_RDONLY | O_DIRECTORY), "open subdir");
	got = expect_ok(syscall(SYS_getdents64, fd, big, sizeof big), "getdents64 empty dir");
	m = 0;
	for (long off = 0; off < got; m++)
		off += ((struct linux_dirent64 *)(big + off))->d_reclen;
	expect_eq(m, 2, "entries in empty dir");
	close(fd);
	ok("an empty directory lists only . and ..");
	return 0;
}
