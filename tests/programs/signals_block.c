/* tests/programs/signals_block.c — a signal reaches a thread that sleeps in a blocking call, and the
 * call then restarts or fails as Linux decides: read on a pipe restarts under SA_RESTART and fails
 * with EINTR without it; nanosleep fails with EINTR and the time left; poll fails with EINTR even
 * under SA_RESTART. The signal comes from another thread while the main one sleeps. */
#include "check.h"
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

static volatile int hits;
static int pfd[2];
static long main_tid;

static void on_usr1(int sig) { (void)sig; hits++; }

static void sleep_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000 };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* After 50 ms: SIGUSR1 to the main thread; after another 50 ms (if asked): a byte into the pipe. */
static void *poker(void *write_after)
{
	sleep_ms(50);
	syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
	if (write_after) {
		sleep_ms(50);
		if (write(pfd[1], "x", 1) != 1)
			return (void *)1;
	}
	return NULL;
}

static void handler(int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
}

int main(void)
{
	main_tid = syscall(SYS_gettid);
	if (pipe(pfd))
		fail("pipe");
	pthread_t t;
	char c = 0;

	handler(SA_RESTART);
	hits = 0;
	pthread_create(&t, NULL, poker, (void *)1);
	long n = read(pfd[0], &c, 1);
	pthread_join(t, NULL);
	if (n != 1 || c != 'x' || hits != 1)
		fail("read under SA_RESTART: %ld (%s), byte %c, %d handler runs", n, errname(errno), c, hits);
	ok("a read sleeping on a pipe runs the handler and restarts under SA_RESTART");

	handler(0);
	hits = 0;
	pthread_create(&t, NULL, poker, (void *)1);
	errno = 0;
	n = read(pfd[0], &c, 1);
	int e = errno;
	pthread_join(t, NULL);
	if (n != -1 || e != EINTR || hits != 1)
		fail("read without SA_RESTART: %ld (%s), %d handler runs", n, errname(e), hits);
	if (read(pfd[0], &c, 1) != 1)	/* the poker's byte is still there */
		fail("the byte written after the signal was lost");
	ok("without SA_RESTART the read fails with EINTR after the handler");

	handler(SA_RESTART);
	hits = 0;
	pthread_create(&t, NULL, poker, NULL);
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	errno = 0;
	n = nanosleep(&req, &rem);
	e = errno;
	pthread_join(t, NULL);
	if (n != -1 || e != EINTR || hits != 1 || rem.tv_sec < 1)
		fail("nanosleep: %ld (%s), %d runs, %ld s left", n, errname(e), hits, (long)rem.tv_sec);
	ok("nanosleep fails with EINTR and the time left, even under SA_RESTART");

	hits = 0;
	pthread_create(&t, NULL, poker, NULL);
	struct pollfd p = { pfd[0], POLLIN, 0 };
	errno = 0;
	n = poll(&p, 1, 2000);
	e = errno;
	pthread_join(t, NULL);
	if (n != -1 || e != EINTR || hits != 1)
		fail("poll: %ld (%s), %d runs", n, errname(e), hits);
	ok("poll fails with EINTR after a handler, even under SA_RESTART");
	return 0;
}
