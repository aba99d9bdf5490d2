/* tests/programs/thread_patch.c — threads, and eight of them hammering one syscall site while it is
 * patched. A second mapping of this program's own file is made executable only once the threads
 * wait at the start line, so under cella its copy of the site is unpatched until the first thread
 * traps there and is rewritten (int3, displacement, opcode) while the other seven run through it.
 * Every call must return getppid's value with the registers the syscall ABI preserves intact. */
#include "check.h"
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

#define THREADS 8
#define CALLS 20000

/* mov $110,%eax (getppid); syscall; ret — a site `cella build` proves patchable. */
__asm__(".text\n.globl hammer_site\n.type hammer_site,@function\nhammer_site:\n.cfi_startproc\n"
	"mov $110, %eax\nsyscall\nret\n.cfi_endproc\n.size hammer_site, .-hammer_site\n");
void hammer_site(void);

static void *site_copy;
static long expected_ppid;
static int go;

/* Calls fn below the red zone with known values in the argument registers; *bad is set if a
 * register the syscall must preserve changed. */
static long call_site(void *fn, int *bad)
{
	register long r8 __asm__("r8") = 0x808, r9 __asm__("r9") = 0x909, r10 __asm__("r10") = 0x1010;
	long rdi = 0xd1, rsi = 0x51, rdx = 0xd0, rax;
	__asm__ volatile("sub $128, %%rsp\n\tcall *%[fn]\n\tadd $128, %%rsp"
			 : "=a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r8), "+r"(r9), "+r"(r10)
			 : [fn] "r"(fn)
			 : "rcx", "r11", "memory", "cc");
	*bad = rdi != 0xd1 || rsi != 0x51 || rdx != 0xd0 || r8 != 0x808 || r9 != 0x909 || r10 != 0x1010;
	return rax;
}

static void *hammer(void *arg)
{
	long wrong = 0, clobbered = 0;
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		;
	for (int i = 0; i < CALLS; i++) {
		int bad;
		if (call_site(site_copy, &bad) != expected_ppid)
			wrong++;
		clobbered += bad;
	}
	(void)arg;
	return (void *)(wrong * 1000000 + clobbered);
}

static uint64_t site_offset = ~0ull;

static int find_offset(struct dl_phdr_info *info, size_t size, void *data)
{
	uint64_t a = (uint64_t)(uintptr_t)&hammer_site;
	(void)size, (void)data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		uint64_t lo = info->dlpi_addr + p->p_vaddr;
		if (p->p_type == PT_LOAD && a >= lo && a < lo + p->p_filesz) {
			site_offset = a - lo + p->p_offset;
			return 1;
		}
	}
	return 0;
}

static void *count_up(void *arg)
{
	return (void *)(long)(syscall(SYS_gettid) != getpid() && arg == (void *)7);
}

/* A new thread starts with its creator's FPU control state (clone copies it). */
static void *read_mxcsr(void *arg)
{
	uint32_t m;
	__asm__ volatile("stmxcsr %0" : "=m"(m));
	*(uint32_t *)arg = m;
	return NULL;
}

int main(void)
{
	/* Threads of one process: own tids, one pid, joined with their results. */
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, count_up, (void *)7))
			fail("pthread_create");
	long own = 0;
	for (int i = 0; i < THREADS; i++) {
		void *r;
		if (pthread_join(t[i], &r))
			fail("pthread_join");
		own += (long)r;
	}
	if (own != THREADS)
		fail("%ld of %d threads had a tid of their own", own, THREADS);
	ok("%d threads with their own tids, joined", THREADS);

	uint32_t up = 0x5f80, old, seen = 0;	/* round up, all exceptions masked */
	__asm__ volatile("stmxcsr %0\n\tldmxcsr %1" : "=m"(old) : "m"(up));
	pthread_t m;
	pthread_create(&m, NULL, read_mxcsr, &seen);
	pthread_join(m, NULL);
	__asm__ volatile("ldmxcsr %0" : : "m"(old));
	if (seen != up)
		fail("a new thread's MXCSR is %#x, its creator's was %#x", seen, up);
	ok("a new thread inherits its creator's MXCSR");

	expected_ppid = getppid();
	dl_iterate_phdr(find_offset, NULL);
	if (site_offset == ~0ull)
		fail("hammer_site is in no PT_LOAD of the program");
	int fd = open("/proc/self/exe", O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		fail("open /proc/self/exe: %s", errname(errno));
	char *copy = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (copy == MAP_FAILED)
		fail("mmap of the program: %s", errname(errno));
	static const unsigned char want[] = { 0xb8, 110, 0, 0, 0, 0x0f, 0x05, 0xc3 };
	if (memcmp(copy + site_offset, want, sizeof(want)) != 0)
		fail("the copy of hammer_site does not hold mov $110,%%eax; syscall; ret");
	site_copy = copy + site_offset;

	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, hammer, NULL))
			fail("pthread_create");
	uintptr_t page = (uintptr_t)site_copy & ~(uintptr_t)4095;
	if (mprotect((void *)page, 8192, PROT_READ | PROT_EXEC) < 0)
		fail("mprotect: %s", errname(errno));
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	long wrong = 0, clobbered = 0;
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		wrong += (long)r / 1000000;
		clobbered += (long)r % 1000000;
	}
	if (wrong || clobbered)
		fail("%ld wrong results and %ld clobbered registers in %d calls", wrong, clobbered,
		     THREADS * CALLS);
	ok("%d threads x %d calls through one site while it was made executable: all right", THREADS, CALLS);

	/* The patched code moves (mremap): calls through it still work at the new place. */
	char *moved = mremap(copy, (size_t)st.st_size, (size_t)st.st_size, MREMAP_MAYMOVE);
	if (moved == MAP_FAILED)
		fail("mremap of the code: %s", errname(errno));
	copy = moved;
	for (int i = 0; i < 1000; i++) {
		int bad;
		if (call_site(moved + site_offset, &bad) != expected_ppid || bad)
			fail("call %d through the moved code went wrong", i);
	}
	ok("code moved with mremap still runs its syscall site");
	munmap(copy, (size_t)st.st_size);
	close(fd);
	return 0;
}
