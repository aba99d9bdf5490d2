/* tests/programs/vm_flags.c — mmap flags and what /proc shows of them: MAP_POPULATE, MAP_32BIT,
 * MAP_GROWSDOWN growing on a touch below, PROT_GROWSDOWN, huge-page size bits without MAP_HUGETLB,
 * MAP_STACK/MAP_NORESERVE, /proc/self/smaps against maps, and the [vdso] line. Linux is the
 * reference; every check prints the same natively and under cella. */
#include "check.h"
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>

#define PG 4096ul

/* The maps line for addr: its range and permissions; 0 if none. */
static int maps_line(uintptr_t addr, uintptr_t *lo, uintptr_t *hi, char perms[5], char *name, size_t nsz)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int found = 0;
	while (f && !found && fgets(line, sizeof(line), f)) {
		unsigned long a, b;
		char p[5] = "", path[256] = "";
		if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %255[^\n]", &a, &b, p, path) < 3)
			continue;
		if (addr >= a && addr < b) {
			*lo = a, *hi = b;
			memcpy(perms, p, 5);
			if (name)
				snprintf(name, nsz, "%s", path);
			found = 1;
		}
	}
	if (f)
		fclose(f);
	return found;
}

static void *map(void *addr, size_t len, int prot, int flags)
{
	return mmap(addr, len, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

int main(void)
{
	/* MAP_POPULATE: resident at once. */
	unsigned char vec[8];
	char *p = map(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_POPULATE);
	if (p == MAP_FAILED || mincore(p, 8 * PG, vec))
		fail("MAP_POPULATE mapping: %s", errname(errno));
	for (int i = 0; i < 8; i++)
		if (!(vec[i] & 1))
			fail("MAP_POPULATE: page %d not resident", i);
	munmap(p, 8 * PG);
	ok("MAP_POPULATE maps every page resident");

	/* MAP_32BIT: below 2 GiB. */
	p = map(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_32BIT);
	if (p == MAP_FAILED || (uintptr_t)p + 16 * PG > 0x80000000ul)
		fail("MAP_32BIT gave %p", (void *)p);
	p[0] = 1;
	munmap(p, 16 * PG);
	ok("MAP_32BIT places the mapping below 2 GiB");

	/* Huge-page size bits without MAP_HUGETLB are ignored; MAP_STACK and MAP_NORESERVE work. */
	p = map(NULL, 4 * PG, PROT_READ | PROT_WRITE, (21 << 26) | MAP_STACK | MAP_NORESERVE);
	if (p == MAP_FAILED)
		fail("mmap with MAP_HUGE_2MB bits, MAP_STACK, MAP_NORESERVE: %s", errname(errno));
	p[4 * PG - 1] = 1;
	munmap(p, 4 * PG);
	ok("MAP_HUGE_* size bits alone, MAP_STACK and MAP_NORESERVE are accepted");

	/* MAP_GROWSDOWN: a touch just below grows it. Make 8 MiB of room below it first, so the
	 * guard gap (1 MiB) above the next mapping down is kept. */
	char *room = map(NULL, 8 << 20, PROT_NONE, MAP_NORESERVE);
	if (room == MAP_FAILED || munmap(room, 8 << 20))
		fail("reserving room: %s", errname(errno));
	char *g = map(room + (8 << 20) - 4 * PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_GROWSDOWN);
	if (g == MAP_FAILED)
		fail("MAP_GROWSDOWN: %s", errname(errno));
	g[-1] = 7;	/* one byte below the mapping */
	uintptr_t lo, hi;
	char perms[5];
	if (!maps_line((uintptr_t)g - 1, &lo, &hi, perms, NULL, 0) || hi != (uintptr_t)g + 4 * PG ||
	    lo != (uintptr_t)g - PG || strcmp(perms, "rw-p"))
		fail("after a touch below, the MAP_GROWSDOWN mapping is %#lx-%#lx %s", (unsigned long)lo,
		     (unsigned long)hi, perms);
	ok("a MAP_GROWSDOWN mapping grows by the page touched below it");

	/* PROT_GROWSDOWN: mprotect reaches down to the start of the growing mapping. */
	if (mprotect(g + PG, PG, PROT_READ | PROT_GROWSDOWN))
		fail("mprotect PROT_GROWSDOWN: %s", errname(errno));
	if (!maps_line((uintptr_t)g - PG, &lo, &hi, perms, NULL, 0) || strcmp(perms, "r--p") ||
	    hi != (uintptr_t)g + 2 * PG)
		fail("PROT_GROWSDOWN changed %#lx-%#lx to %s", (unsigned long)lo, (unsigned long)hi, perms);
	p = map(NULL, PG, PROT_READ, 0);
	errno = 0;
	if (mprotect(p, PG, PROT_READ | PROT_GROWSDOWN) != -1 || errno != EINVAL)
		fail("PROT_GROWSDOWN on an ordinary mapping: expected EINVAL, got %s", errname(errno));
	errno = 0;
	if (mprotect(p, PG, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP) != -1 || errno != EINVAL)
		fail("PROT_GROWSDOWN|PROT_GROWSUP: expected EINVAL, got %s", errname(errno));
	munmap(p, PG);
	munmap(g - PG, 5 * PG);
	ok("PROT_GROWSDOWN applies from the start of a growing mapping; elsewhere it is EINVAL");

	/* smaps: the same ranges as maps, with Size and Rss of a 3-page mapping with 2 touched
	 * (PROT_NONE pages around it keep it from merging with a neighbour). Both files are read
	 * whole first, so nothing maps or unmaps between them. */
	char *q = map(NULL, 5 * PG, PROT_NONE, 0);
	if (q == MAP_FAILED || mprotect(q + PG, 3 * PG, PROT_READ | PROT_WRITE))
		fail("mapping for smaps: %s", errname(errno));
	p = q + PG;
	p[0] = p[PG] = 1;
	static char mbuf[1 << 16], sbuf[1 << 20];
	int mfd = open("/proc/self/maps", O_RDONLY), sfd = open("/proc/self/smaps", O_RDONLY);
	ssize_t mn = 0, sn = 0, n;
	while (mfd >= 0 && (n = read(mfd, mbuf + mn, sizeof(mbuf) - 1 - (size_t)mn)) > 0)
		mn += n;
	while (sfd >= 0 && (n = read(sfd, sbuf + sn, sizeof(sbuf) - 1 - (size_t)sn)) > 0)
		sn += n;
	close(mfd);
	close(sfd);
	int ranges = 0, size_kb = -1, rss_kb = -1, in = 0;
	for (char *l = sbuf, *e; l < sbuf + sn; l = e + 1) {
		e = strchr(l, '\n');
		if (!e)
			break;
		*e = 0;
		unsigned long a, b;
		char *sp = strchr(l, ' '), *dash = strchr(l, '-');
		if (sp && dash && dash < sp && sscanf(l, "%lx-%lx ", &a, &b) == 2) {
			char key[40];
			snprintf(key, sizeof(key), "%08lx-%08lx ", a, b);
			char *hit = strstr(mbuf, key);
			if (!hit || (hit != mbuf && hit[-1] != '\n'))
				fail("smaps range %s is not a maps range", key);
			ranges++;
			in = a == (uintptr_t)p && b == (uintptr_t)p + 3 * PG;
		} else if (in) {
			sscanf(l, "Size: %d kB", &size_kb);
			sscanf(l, "Rss: %d kB", &rss_kb);
		}
	}
	int mlines = 0;
	for (char *c = mbuf; c < mbuf + mn; c++)
		mlines += *c == '\n';
	if (ranges != mlines || size_kb != 12 || rss_kb != 8)
		fail("smaps: %d ranges (maps %d); the 3-page mapping shows Size %d kB, Rss %d kB", ranges,
		     mlines, size_kb, rss_kb);
	munmap(q, 5 * PG);
	ok("/proc/self/smaps lists the maps ranges, with Size and Rss of each");

	/* /dev/zero maps as anonymous memory; /dev/null cannot be mapped. */
	int zfd = open("/dev/zero", O_RDWR), nfd = open("/dev/null", O_RDWR);
	char *z = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, zfd, 0);
	char *zs = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, zfd, 0);
	if (z == MAP_FAILED || zs == MAP_FAILED || z[0] || z[2 * PG - 1] || zs[100])
		fail("mmap of /dev/zero: %s", errname(errno));
	z[5] = zs[5] = 1;
	errno = 0;
	if (mmap(NULL, PG, PROT_READ, MAP_PRIVATE, nfd, 0) != MAP_FAILED || errno != ENODEV)
		fail("mmap of /dev/null: expected ENODEV, got %s", errname(errno));
	munmap(z, 2 * PG);
	munmap(zs, PG);
	close(zfd);
	close(nfd);
	ok("/dev/zero maps as zero-filled memory, private or shared; /dev/null is ENODEV");

	/* mremap's checks in Linux's order: a shrink whose old length runs past the user half is
	 * EINVAL (not an unmap of everything above); a move that shrinks first works across two
	 * VMAs. Anonymous MAP_SHARED_VALIDATE is EINVAL. */
	char *two = map(NULL, 2 * PG, PROT_READ | PROT_WRITE, 0);
	mprotect(two + PG, PG, PROT_READ);	/* now two VMAs */
	errno = 0;
	if (syscall(SYS_mremap, two, 0x7ffffffff000ul, PG, 0, 0) != -1 || errno != EINVAL)
		fail("mremap shrink with a huge old_len: expected EINVAL, got %s", errname(errno));
	errno = 0;
	if (syscall(SYS_mremap, two, -4096ul, PG, 0, 0) != -1 || errno != EINVAL)
		fail("mremap shrink with a wrapping old_len: expected EINVAL, got %s", errname(errno));
	char *dst = map(NULL, 4 * PG, PROT_NONE, 0);
	void *moved = mremap(two, 2 * PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst + PG);
	if (moved != dst + PG)
		fail("mremap MAYMOVE|FIXED shrinking across two VMAs: %s", errname(errno));
	munmap(dst, 4 * PG);
	errno = 0;
	if (mmap(NULL, PG, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED || errno != EINVAL)
		fail("anonymous MAP_SHARED_VALIDATE: expected EINVAL, got %s", errname(errno));
	ok("mremap range checks and order; anonymous MAP_SHARED_VALIDATE is EINVAL");

	/* [vdso] where the aux vector says. */
	uintptr_t vdso = getauxval(AT_SYSINFO_EHDR);
	char name[256];
	if (vdso && (!maps_line(vdso, &lo, &hi, perms, name, sizeof(name)) || strcmp(name, "[vdso]") ||
		     strcmp(perms, "r-xp")))
		fail("AT_SYSINFO_EHDR %#lx is not a [vdso] r-xp line of maps", (unsigned long)vdso);
	ok("/proc/self/maps shows [vdso] where AT_SYSINFO_EHDR points");
	return 0;
}
