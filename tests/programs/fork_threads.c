/* tests/programs/fork_threads.c — fork from a process whose other threads are busy in malloc,
 * write and getpid: each child has only the forking thread (gettid == getpid, the others' counter
 * stands still), and malloc, stdio, open, a nested fork and wait all work in it; pthread_atfork
 * handlers run in POSIX order on each side; and a thread other than main can fork and wait. */
#include "check.h"
#include <pthread.h>
#include <sys/wait.h>
#include <time.h>

/* A forked child must leave with _exit: exit() would run the parent's atexit handlers (removing
 * the scratch directory) and flush a copy of its stdio buffers. */
#define cfail(...) do { dprintf(2, "FAIL %s:%d (child %d): ", __FILE__, __LINE__, (int)getpid()); \
	dprintf(2, __VA_ARGS__); dprintf(2, "\n"); _exit(99); } while (0)

#define WORKERS 4
#define FORKS 30

static volatile int stop;
static volatile unsigned long spins[WORKERS];

static void *worker(void *arg)
{
	int i = (int)(long)arg;
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail("open /dev/null: %s", errname(errno));
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		size_t n = 16 + (spins[i] * 37) % 4096;
		char *p = malloc(n);
		if (!p)
			fail("malloc in a worker");
		memset(p, i, n);
		if (write(fd, p, n) != (ssize_t)n)
			fail("write /dev/null: %s", errname(errno));
		free(p);
		getpid();
		__atomic_fetch_add(&spins[i], 1, __ATOMIC_RELAXED);
	}
	close(fd);
	return NULL;
}

static unsigned long total_spins(void)
{
	unsigned long t = 0;
	for (int i = 0; i < WORKERS; i++)
		t += __atomic_load_n(&spins[i], __ATOMIC_RELAXED);
	return t;
}

/* ---- pthread_atfork: set A registered before set B ---- */
static char log_buf[16];
static int log_len;
static void note(char c) { if (log_len < (int)sizeof log_buf - 1) log_buf[log_len++] = c; log_buf[log_len] = 0; }
static void prep_a(void) { note('a'); }
static void prep_b(void) { note('b'); }
static void parent_a(void) { note('A'); }
static void parent_b(void) { note('B'); }
static void child_a(void) { note('x'); }
static void child_b(void) { note('y'); }

/* POSIX: prepare handlers in reverse order of registration, parent and child ones in order. */
#define LOG_PARENT "baAB"
#define LOG_CHILD "baxy"

static const char *data_path;
static const char data_text[] = "read back in every child\n";

/* Everything a child of a multithreaded parent may rely on after fork. */
static void child_body(int i, pid_t parent, int out)
{
	if (strcmp(log_buf, LOG_CHILD))
		cfail("atfork handlers in the child ran as \"%s\", expected \"%s\"", log_buf, LOG_CHILD);
	if (syscall(SYS_gettid) != getpid())
		cfail("gettid %ld != getpid %d in the child", syscall(SYS_gettid), (int)getpid());
	if (getppid() != parent)
		cfail("getppid %d, expected %d", (int)getppid(), (int)parent);

	/* The workers were not copied: their counters no longer move. */
	unsigned long before = total_spins();
	struct timespec ms = { 0, 1000000 };
	nanosleep(&ms, NULL);
	if (total_spins() != before)
		cfail("the parent's other threads still run in the child (%lu -> %lu)", before, total_spins());

	void *small[64];
	for (int k = 0; k < 64; k++)
		if (!(small[k] = malloc(8 + k * 24)))
			cfail("malloc in the child");
	for (int k = 0; k < 64; k += 2)
		free(small[k]);
	char *big = malloc(1 << 20);
	if (!big)
		cfail("malloc of 1 MiB in the child");
	memset(big, 1, 1 << 20);
	free(big);
	for (int k = 1; k < 64; k += 2)
		free(small[k]);

	char buf[64];
	int fd = open(data_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		cfail("open %s: %s", data_path, errname(errno));
	ssize_t n = read(fd, buf, sizeof buf);
	if (n != (ssize_t)sizeof data_text - 1 || memcmp(buf, data_text, n))
		cfail("read %s: %zd bytes", data_path, n);
	close(fd);

	if (i == 0) {
		pid_t self = getpid();
		pid_t g = fork();
		if (g < 0)
			cfail("fork in the child: %s", errname(errno));
		if (g == 0) {
			char *p = malloc(100);
			_exit(p && getppid() == self ? 5 : 98);
		}
		int st;
		if (waitpid(g, &st, 0) != g || !WIFEXITED(st) || WEXITSTATUS(st) != 5)
			cfail("the grandchild: status %#x (%s)", st, errname(errno));
	}

	FILE *f = fdopen(out, "w");
	if (!f)
		cfail("fdopen: %s", errname(errno));
	fprintf(f, "child %d of %d\n", i, (int)parent);
	if (fclose(f))
		cfail("fclose: %s", errname(errno));
	_exit(0);
}

static void *forking_thread(void *arg)
{
	pid_t parent = getpid(), *child = arg;
	log_len = 0;
	pid_t c = fork();
	if (c < 0)
		fail("fork from a thread: %s", errname(errno));
	if (c == 0) {
		if (syscall(SYS_gettid) != getpid())
			cfail("gettid %ld != getpid %d in the child of a thread", syscall(SYS_gettid), (int)getpid());
		if (getppid() != parent)
			cfail("getppid %d, expected %d", (int)getppid(), (int)parent);
		if (strcmp(log_buf, LOG_CHILD))
			cfail("atfork handlers ran as \"%s\" in the child of a thread", log_buf);
		free(malloc(1000));
		_exit(3);
	}
	if (strcmp(log_buf, LOG_PARENT))
		fail("atfork handlers ran as \"%s\" in the thread that forked", log_buf);
	expect_exit(c, 3, "the child of a thread");
	*child = c;
	return NULL;
}

int main(void)
{
	data_path = scratch_file("data", data_text, 0644);
	expect_eq(pthread_atfork(prep_a, parent_a, child_a), 0, "pthread_atfork A");
	expect_eq(pthread_atfork(prep_b, parent_b, child_b), 0, "pthread_atfork B");

	pthread_t th[WORKERS];
	for (long i = 0; i < WORKERS; i++)
		if ((errno = pthread_create(&th[i], NULL, worker, (void *)i)))
			fail("pthread_create: %s", errname(errno));
	/* Fork only once every worker is running. */
	for (int i = 0; i < WORKERS; i++)
		while (!__atomic_load_n(&spins[i], __ATOMIC_RELAXED))
			sched_yield();

	pid_t parent = getpid();
	for (int i = 0; i < FORKS; i++) {
		int p[2];
		if (pipe(p))
			fail("pipe: %s", errname(errno));
		fflush(stdout);
		log_len = 0;
		pid_t c = fork();
		if (c < 0)
			fail("fork %d: %s", i, errname(errno));
		if (c == 0) {
			close(p[0]);
			child_body(i, parent, p[1]);
		}
		if (strcmp(log_buf, LOG_PARENT))
			fail("fork %d: atfork handlers in the parent ran as \"%s\", expected \"%s\"", i, log_buf, LOG_PARENT);
		close(p[1]);
		char got[64], want[64];
		read_to_eof(p[0], got, sizeof got, "read from the child");
		close(p[0]);
		char what[32];
		snprintf(what, sizeof what, "child %d", i);
		expect_exit(c, 0, what);
		snprintf(want, sizeof want, "child %d of %d\n", i, (int)parent);
		expect_str(got, want, "what the child printed through stdio");
	}
	ok("%d forks from a process with %d busy threads: each child runs alone (gettid == getpid, other "
	   "threads gone) with working malloc, stdio, open, fork and wait, and exits 0", FORKS, WORKERS);
	ok("pthread_atfork: prepare handlers run in reverse order, parent and child handlers in order");

	pthread_t t;
	pid_t tc = 0;
	if ((errno = pthread_create(&t, NULL, forking_thread, &tc)))
		fail("pthread_create: %s", errname(errno));
	pthread_join(t, NULL);
	expect_true(tc > 0 && tc != parent, "the thread forked a child");
	ok("a thread other than main forks: the child is single-threaded with gettid == getpid, the thread reaps it");

	unsigned long before = total_spins();
	struct timespec ms = { 0, 1000000 };
	for (int k = 0; k < 1000 && total_spins() == before; k++)
		nanosleep(&ms, NULL);
	expect_true(total_spins() != before, "the workers still run in the parent after the forks");
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < WORKERS; i++)
		if ((errno = pthread_join(th[i], NULL)))
			fail("pthread_join: %s", errname(errno));
	int st;
	expect_err(waitpid(-1, &st, WNOHANG), ECHILD, "a child left at the end");
	ok("the parent's threads kept running through the forks and stop and join cleanly");
	return 0;
}
