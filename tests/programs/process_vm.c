/* tests/programs/process_vm.c — process_vm_readv/writev between a parent and its fork child (and
 * on itself), their argument checks in Linux's order, and kcmp: files by open file description,
 * VM/FS/SIGHAND/FILES by task identity, a consistent ordering, ESRCH/EBADF/EINVAL. */
#include "check.h"
#include <pthread.h>
#include <sys/uio.h>

#ifndef SYS_kcmp
#define SYS_kcmp 312
#endif
enum { KCMP_FILE, KCMP_VM, KCMP_FILES, KCMP_FS, KCMP_SIGHAND, KCMP_IO, KCMP_SYSVSEM };

static char shared_buf[64] = "parent's text";

static long vm_read(int pid, struct iovec *l, unsigned long ln, struct iovec *r, unsigned long rn,
		    unsigned long flags)
{
	return syscall(SYS_process_vm_readv, pid, l, ln, r, rn, flags);
}

static long kcmp(int a, int b, int type, unsigned long i1, unsigned long i2)
{
	return syscall(SYS_kcmp, a, b, type, i1, i2);
}

static volatile int thread_tid, thread_stop;
static void *get_tid(void *arg)
{
	(void)arg;
	thread_tid = (int)syscall(SYS_gettid);
	while (!thread_stop)
		usleep(1000);
	return NULL;
}

int main(void)
{
	int go[2], done[2];
	xpipe(go);
	xpipe(done);
	pid_t c = xfork();
	if (c == 0) {
		strcpy(shared_buf, "child's text");
		expect_eq(write(done[1], "r", 1), 1, "child ready");
		char b;
		read_full(go[0], &b, 1, "child waits");	/* the parent has written by now */
		_exit(strcmp(shared_buf, "written by the parent") == 0 ? 0 : 1);
	}
	char b;
	read_full(done[0], &b, 1, "wait for the child");
	char local[64] = { 0 };
	struct iovec l = { local, sizeof local }, r = { shared_buf, sizeof shared_buf };
	expect_eq(vm_read(c, &l, 1, &r, 1, 0), sizeof shared_buf, "process_vm_readv");
	expect_str(local, "child's text", "read the child's memory");
	ok("process_vm_readv copies from another process of the instance");

	char text[64] = "written by the parent";
	struct iovec w = { text, sizeof text };
	expect_eq(syscall(SYS_process_vm_writev, c, &w, 1, &r, 1, 0), sizeof text, "process_vm_writev");
	expect_str(shared_buf, "parent's text", "own copy untouched");
	expect_eq(write(go[1], "g", 1), 1, "release the child");
	int ws;
	expect_eq(waitpid(c, &ws, 0), c, "waitpid");
	expect_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "the child saw the write");
	ok("process_vm_writev copies into another process");

	char a2[8] = "abcdefg", b2[8] = { 0 };
	struct iovec la = { b2, 4 }, ra = { a2 + 2, 4 };
	expect_eq(vm_read(getpid(), &la, 1, &ra, 1, 0), 4, "on itself");
	expect_mem(b2, "cdef", 4, "copied within itself");
	ok("process_vm_readv on the caller itself copies within its memory");

	expect_err(vm_read(getpid(), &la, 1, &ra, 1, 1), EINVAL, "flags");
	expect_err(vm_read(getpid(), &la, 1025, &ra, 1, 0), EINVAL, "too many local");
	expect_err(vm_read(getpid(), (void *)8, 1, &ra, 1, 0), EFAULT, "bad local iovec array");
	struct iovec badl = { (void *)8, 4 };
	expect_err(vm_read(getpid(), &badl, 1, &ra, 1, 0), EFAULT, "unmapped local buffer");
	struct iovec huge = { b2, (size_t)-1 };
	expect_err(vm_read(getpid(), &la, 1, &huge, 1, 0), EINVAL, "negative remote length");
	expect_err(vm_read(getpid(), &la, 1, &ra, 1025, 0), EINVAL, "too many remote");
	struct iovec badr = { (void *)8, 4 };
	expect_err(vm_read(getpid(), &la, 1, &badr, 1, 0), EFAULT, "unmapped remote range");
	ok("process_vm_readv: flags or counts over 1024 EINVAL, bad buffers EFAULT");

	struct iovec zero = { b2, 0 };
	expect_eq(vm_read(30000, &zero, 1, &ra, 1, 0), 0, "nothing to copy, no such pid");
	expect_eq(vm_read(30000, &la, 1, &zero, 1, 0), 0, "no remote bytes, no such pid");
	expect_err(vm_read(30000, &la, 1, &ra, 1, 0), ESRCH, "no such pid");
	expect_err(vm_read(c, &la, 1, &ra, 1, 0), ESRCH, "reaped child");
	ok("process_vm_readv of zero bytes succeeds before the pid is looked up; a missing pid is ESRCH");

	/* ---- kcmp ---- */
	pid_t k = xfork();
	if (k == 0) {
		char x;
		close(done[1]);
		read(done[0], &x, 1);	/* until the parent closes its end */
		_exit(0);
	}
	int me = getpid();
	expect_eq(kcmp(me, me, KCMP_VM, 0, 0), 0, "VM of itself");
	long ab = kcmp(me, k, KCMP_VM, 0, 0), ba = kcmp(k, me, KCMP_VM, 0, 0);
	expect_true((ab == 1 && ba == 2) || (ab == 2 && ba == 1), "VM differs, ordered both ways");
	expect_eq(kcmp(me, me, KCMP_SIGHAND, 0, 0), 0, "SIGHAND of itself");
	expect_true(kcmp(me, k, KCMP_SIGHAND, 0, 0) > 0, "SIGHAND differs");
	expect_eq(kcmp(me, me, KCMP_FS, 0, 0), 0, "FS of itself");
	expect_true(kcmp(me, k, KCMP_FS, 0, 0) > 0, "FS differs");
	expect_true(kcmp(me, k, KCMP_FILES, 0, 0) > 0, "FILES differ");
	pthread_t th;
	if (pthread_create(&th, NULL, get_tid, NULL))
		fail("pthread_create");
	while (!thread_tid)
		usleep(1000);
	expect_eq(kcmp(me, thread_tid, KCMP_FILES, 0, 0), 0, "FILES shared with a thread");
	expect_eq(kcmp(thread_tid, me, KCMP_VM, 0, 0), 0, "VM shared with a thread");
	thread_stop = 1;
	pthread_join(th, NULL);
	ok("kcmp: VM, FS, SIGHAND, FILES equal within a process, different from a child, consistently ordered");

	int f1 = expect_ok(open(scratch_file("k", "x", 0644), O_RDONLY), "open");
	int f2 = expect_ok(dup(f1), "dup");
	int f3 = expect_ok(open(scratch_path("k"), O_RDONLY), "open again");
	expect_eq(kcmp(me, me, KCMP_FILE, f1, f2), 0, "dup is the same file");
	long x13 = kcmp(me, me, KCMP_FILE, f1, f3), x31 = kcmp(me, me, KCMP_FILE, f3, f1);
	expect_true(x13 + x31 == 3 && x13 > 0, "another open differs");
	int p[2];
	xpipe(p);
	int p0 = expect_ok(dup(p[0]), "dup pipe");
	expect_eq(kcmp(me, me, KCMP_FILE, p[0], p0), 0, "dup'ed pipe end");
	expect_true(kcmp(me, me, KCMP_FILE, p[0], p[1]) > 0, "two pipe ends differ");
	expect_err(kcmp(me, me, KCMP_FILE, f1, 9999), EBADF, "closed fd");
	ok("kcmp KCMP_FILE: a dup is the same open file, another open is not; a closed fd EBADF");

	expect_err(kcmp(me, me, 8, 0, 0), EINVAL, "unknown type");
	expect_err(kcmp(30000, me, 8, 0, 0), ESRCH, "ESRCH before the type");
	expect_err(kcmp(me, 30000, KCMP_VM, 0, 0), ESRCH, "second pid missing");
	ok("kcmp: a missing pid ESRCH before an unknown type EINVAL");
	close(done[1]);
	expect_eq(waitpid(k, &ws, 0), k, "reap");
	return 0;
}
