/* tests/programs/cred_threads.c — set*id in a multi-threaded process: the libc broadcasts the
 * change to every thread (glibc with its SIGSETXID, musl with its synccall signal), each thread's
 * repeat of the call is accepted, and every thread sees the new ids, groups and capabilities
 * afterwards (raw getresuid/getresgid/getgroups/capget in each thread). Run in forked children. */
#include "check.h"
#include <grp.h>
#include <pthread.h>
#include <stdint.h>

#define NTHREADS 4

struct cap_hdr { uint32_t version; int pid; };
struct cap_dat { uint32_t eff, prm, inh; };

static pthread_barrier_t start, stop;

struct seen { unsigned r, e, s, gr, ge, gs; long ngroups; unsigned long long eff; };

static void look(struct seen *v)
{
	syscall(SYS_getresuid, &v->r, &v->e, &v->s);
	syscall(SYS_getresgid, &v->gr, &v->ge, &v->gs);
	v->ngroups = syscall(SYS_getgroups, 0, NULL);
	struct cap_hdr h = { 0x20080522, 0 };
	struct cap_dat d[2] = { { 0 } };
	syscall(SYS_capget, &h, d);
	v->eff = d[0].eff | (unsigned long long)d[1].eff << 32;
}

/* Each thread waits while the main thread changes ids, then records what it sees. */
static void *worker(void *arg)
{
	pthread_barrier_wait(&start);
	pthread_barrier_wait(&stop);
	look(arg);
	return NULL;
}

static void expect_seen(const struct seen *v, const struct seen *x, const char *what)
{
	if (v->r != x->r || v->e != x->e || v->s != x->s || v->gr != x->gr || v->ge != x->ge ||
	    v->gs != x->gs || v->ngroups != x->ngroups || v->eff != x->eff)
		fail("%s: a thread sees uids %u/%u/%u gids %u/%u/%u %ld groups eff %#llx, the caller "
		     "%u/%u/%u %u/%u/%u %ld %#llx", what, v->r, v->e, v->s, v->gr, v->ge, v->gs,
		     v->ngroups, v->eff, x->r, x->e, x->s, x->gr, x->ge, x->gs, x->ngroups, x->eff);
}

/* Threads up, change(), threads look; all must agree with the caller and with want(). */
static void with_threads(void (*change)(void), void (*want)(const struct seen *), const char *what)
{
	pthread_t t[NTHREADS];
	struct seen v[NTHREADS], self;
	pthread_barrier_init(&start, NULL, NTHREADS + 1);
	pthread_barrier_init(&stop, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, worker, &v[i]))
			fail("pthread_create");
	pthread_barrier_wait(&start);
	change();
	pthread_barrier_wait(&stop);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	look(&self);
	want(&self);
	for (int i = 0; i < NTHREADS; i++)
		expect_seen(&v[i], &self, what);
}

static void drop(void)
{
	gid_t g[2] = { 50, 60 };
	if (setgroups(2, g) || setresgid(100, 100, 100) || setresuid(1000, 1000, 1000))
		fail("the drop with threads: %s", errname(errno));
}

static void dropped(const struct seen *v)
{
	expect_true(v->r == 1000 && v->e == 1000 && v->s == 1000, "uids 1000");
	expect_true(v->gr == 100 && v->ge == 100 && v->gs == 100, "gids 100");
	expect_eq(v->ngroups, 2, "two groups");
	expect_eq(v->eff, 0, "no capabilities");
}

static void swap(void)
{
	if (setegid(2000) || seteuid(1000))
		fail("seteuid/setegid with threads: %s", errname(errno));
	if (seteuid(0) || setegid(0))
		fail("back to 0 with threads: %s", errname(errno));
	if (setreuid(-1, 1500))
		fail("setreuid with threads: %s", errname(errno));
}

static void swapped(const struct seen *v)
{
	expect_true(v->r == 0 && v->e == 1500 && v->s == 1500, "setreuid(-1, 1500): saved follows");
	expect_eq(v->eff, 0, "euid 1500: no effective capabilities");
}

static void set_uid(void)
{
	if (setuid(4321))
		fail("setuid with threads: %s", errname(errno));
	if (setuid(4321))
		fail("setuid again unprivileged with threads: %s", errname(errno));
}

static void uid_set(const struct seen *v)
{
	expect_true(v->r == 4321 && v->e == 4321 && v->s == 4321, "setuid(4321)");
}

static void run(void (*change)(void), void (*want)(const struct seen *), const char *what)
{
	pid_t p = xfork();
	if (p == 0) {
		with_threads(change, want, what);
		exit(0);
	}
	expect_exit(p, 0, what);
}

int main(void)
{
	run(drop, dropped, "setgroups, setresgid, setresuid");
	ok("setgroups, setresgid and setresuid with %d threads: every thread sees them", NTHREADS);
	run(swap, swapped, "seteuid, setegid, setreuid");
	ok("seteuid and setegid away and back, setreuid: every thread agrees");
	run(set_uid, uid_set, "setuid");
	ok("setuid with threads, and its unprivileged repeat");
	return 0;
}
