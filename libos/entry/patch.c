/* libos/entry/patch.c — lazy patching of syscall sites. On the first trap from a site, if `cella
 * build` proved it to be `mov $nr,%eax; syscall` at real instruction boundaries (the manifest's
 * site table for the mapped file), the 5-byte mov becomes `jmp trampoline`; the trampoline sets
 * eax and rcx and jumps to cella_fastpath_entry. The syscall instruction stays, so a branch to it
 * still traps. The rewrite is safe while other threads run the same code: int3 first, then the
 * displacement, then the jmp opcode, with every thread's instruction stream serialized in between;
 * a thread that meets the int3 is steered to the original semantics (patch_handle_int3). */
#include "patch.h"
#include "dispatch.h"
#include "usercopy.h"
#include "../errno.h"
#include "../log.h"
#include "../fs/fs.h"
#include "../vm/vm.h"
#include "../../include/cella/manifest.h"
#include "../../lib/mem.h"
#include "../../lib/spinlock.h"
#include <linux/mman.h>

#define CHUNK_SIZE (64 * 1024)
#define MAX_CHUNKS 64
#define TRAMP_SLOT 32
#define MAX_PATCHED 8192	/* power of two */
#define REACH 0x7fff0000ll	/* what a rel32 reaches, with margin */

#define MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE (1 << 5)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE (1 << 6)

void cella_fastpath_entry(void);

struct chunk {
	uint64_t base, used;	/* the first 8 bytes hold the address of cella_fastpath_entry */
};

/* A patched site, kept so that a late SIGTRAP from its int3 phase is still recognised. */
struct patched {
	uint64_t site;
	uint32_t nr;
};

static struct {
	struct spinlock lock;
	struct chunk chunks[MAX_CHUNKS];
	int nchunks;
	struct patched set[MAX_PATCHED];
	int npatched;
	int sync_core;		/* membarrier SYNC_CORE registered */
	int disabled;		/* ran out of room: stop trying */
} pt;

static struct {
	uint64_t fast, trap;
} stats;

/* CELLA_LOG=debug only: trap counts per site, to name the busiest sites left unpatched. */
#define HOT_SLOTS 512
static struct hot {
	uint64_t site;		/* the address after the syscall instruction */
	uint64_t count;
	uint32_t nr;
} hot[HOT_SLOTS];

static void count_trap_site(uint64_t rip, long nr)
{
	uint64_t h = (rip * 0x9e3779b97f4a7c15ull) >> 55;	/* 9 bits */
	for (int i = 0; i < 16; i++) {
		struct hot *e = &hot[(h + (uint64_t)i) & (HOT_SLOTS - 1)];
		if (e->site == rip || e->site == 0) {
			e->site = rip;
			e->nr = (uint32_t)nr;
			__atomic_add_fetch(&e->count, 1, __ATOMIC_RELAXED);
			return;
		}
	}
}

void patch_init(void)
{
	pt.sync_core = PAL_CALL3(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0) == 0;
}

/* Every thread of the process passes a serializing instruction before this returns. */
static void sync_all_cores(void)
{
	if (pt.sync_core)
		PAL_CALL3(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);
}

static struct patched *set_slot(uint64_t site)
{
	uint64_t h = (site * 0x9e3779b97f4a7c15ull) >> 51;	/* 13 bits: MAX_PATCHED */
	for (int i = 0; i < MAX_PATCHED; i++) {
		struct patched *p = &pt.set[(h + (uint64_t)i) & (MAX_PATCHED - 1)];
		if (p->site == site || p->site == 0)
			return p;
	}
	return NULL;
}

static int within_reach(uint64_t a, uint64_t b)
{
	int64_t d = (int64_t)(a - b);
	return d < REACH && d > -REACH;
}

/* A trampoline slot within rel32 reach of `site`: an existing chunk, or a new one mapped near. */
static uint64_t alloc_slot(uint64_t site)
{
	for (int i = 0; i < pt.nchunks; i++) {
		struct chunk *c = &pt.chunks[i];
		if (c->used + TRAMP_SLOT <= CHUNK_SIZE && within_reach(c->base, site) &&
		    within_reach(c->base + CHUNK_SIZE, site)) {
			uint64_t s = c->base + c->used;
			c->used += TRAMP_SLOT;
			return s;
		}
	}
	if (pt.nchunks == MAX_CHUNKS)
		return 0;
	/* Probe free addresses below the site, then above, in 16 MiB steps. */
	for (int64_t k = 1; k < 120; k++) {
		for (int dir = -1; dir <= 1; dir += 2) {
			int64_t cand = (int64_t)(site & ~(uint64_t)(CHUNK_SIZE - 1)) + dir * k * (16 << 20);
			if (cand < (1 << 20) || !uaccess_ok((uint64_t)cand, CHUNK_SIZE))
				continue;
			long r = pal_mmap((void *)cand, CHUNK_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
					  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
			if (r < 0)
				continue;
			uaccess_reserve((uint64_t)r, (uint64_t)r + CHUNK_SIZE);
			struct chunk *c = &pt.chunks[pt.nchunks++];
			c->base = (uint64_t)r;
			*(uint64_t *)c->base = (uint64_t)cella_fastpath_entry;
			c->used = TRAMP_SLOT + TRAMP_SLOT;
			return c->base + TRAMP_SLOT;
		}
	}
	return 0;
}

/* mov $nr,%eax; lea site+7(%rip),%rcx; jmp *chunk_base(%rip) */
static void write_trampoline(uint64_t t, uint64_t site, uint32_t nr)
{
	uint8_t *p = (uint8_t *)t;
	uint64_t chunk_base = t & ~(uint64_t)(CHUNK_SIZE - 1);
	int32_t lea_rel = (int32_t)(int64_t)((site + 7) - (t + 12));
	int32_t jmp_rel = (int32_t)(int64_t)(chunk_base - (t + 18));
	p[0] = 0xb8;
	memcpy(p + 1, &nr, 4);
	p[5] = 0x48, p[6] = 0x8d, p[7] = 0x0d;
	memcpy(p + 8, &lea_rel, 4);
	p[12] = 0xff, p[13] = 0x25;
	memcpy(p + 14, &jmp_rel, 4);
}

/* Rewrites the 5-byte mov at `site` into `jmp t`, never exposing a half-written instruction. */
static long write_jump(uint64_t site, uint64_t t, int prot)
{
	uint64_t page = site & ~(PAGE_SIZE - 1);
	uint64_t len = PAGE_ALIGN(site + 5) - page;
	long r = pal_mprotect((void *)page, len, prot | PROT_WRITE);
	if (r < 0)
		return r;
	int32_t rel = (int32_t)(int64_t)(t - (site + 5));
	volatile uint8_t *s = (volatile uint8_t *)site;
	s[0] = 0xcc;			/* int3: a thread arriving now is steered by patch_handle_int3 */
	sync_all_cores();
	for (int i = 0; i < 4; i++)
		s[1 + i] = (uint8_t)(rel >> (8 * i));	/* bytes no thread can be executing */
	sync_all_cores();
	s[0] = 0xe9;			/* jmp rel32 */
	sync_all_cores();
	return pal_mprotect((void *)page, len, prot);
}

/* Binary search of the build's sites of one file. */
static int site_proven(long index, uint64_t off, uint32_t nr)
{
	uint32_t n;
	const struct cella_manifest_site *s = image_sites(index, &n);
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (s[mid].offset == off)
			return s[mid].nr == nr && s[mid].kind == CELLA_SITE_MOV_EAX_SYSCALL;
		if (s[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

void patch_on_trap(struct pal_regs *regs, long nr)
{
	uint64_t site = regs->rip - 7;
	uint8_t code[7];
	struct exec_map m;
	__atomic_add_fetch(&stats.trap, 1, __ATOMIC_RELAXED);
	if (log_level >= LOG_DEBUG)
		count_trap_site(regs->rip, nr);
	if (pt.disabled || copy_from_user(code, (void *)site, 7) < 0 || code[0] != 0xb8 ||
	    code[5] != 0x0f || code[6] != 0x05 || (uint32_t)nr != *(uint32_t *)(code + 1))
		return;
	if (!vm_find_exec_map(site, 7, &m) || !site_proven(m.manifest_index, m.file_off + (site - m.start),
							   (uint32_t)nr))
		return;
	spin_lock(&pt.lock);
	struct patched *p = set_slot(site);
	if (p && p->site == 0 && pt.npatched < MAX_PATCHED / 2) {
		uint64_t t = alloc_slot(site);
		if (t) {
			write_trampoline(t, site, (uint32_t)nr);
			if (write_jump(site, t, m.prot) == 0) {
				p->site = site;
				p->nr = (uint32_t)nr;
				pt.npatched++;
			}
		} else {
			pt.disabled = 1;
			log_warn("fast path: no room for trampolines near %#lx; patching stops", (unsigned long)site);
		}
	}
	spin_unlock(&pt.lock);
}

int patch_handle_int3(struct pal_regs *regs)
{
	uint64_t site = regs->rip - 1;
	struct patched *p = set_slot(site);
	if (!p || p->site != site)
		return 0;
	regs->rax = p->nr;		/* what the mov would have done */
	regs->rip = site + 5;		/* the syscall instruction: it traps as before */
	return 1;
}

long libos_syscall_fast(struct pal_regs *regs, long nr)
{
	__atomic_add_fetch(&stats.fast, 1, __ATOMIC_RELAXED);
	long r = libos_syscall(regs, nr);
	regs->rax = (uint64_t)r;
	return r;
}

void patch_report(void)
{
	uint64_t total = stats.fast + stats.trap;
	log_debug("syscalls: %lu through patched sites, %lu trapped (%lu%% fast); %d sites patched",
		  (unsigned long)stats.fast, (unsigned long)stats.trap,
		  (unsigned long)(total ? stats.fast * 100 / total : 0), pt.npatched);
	for (int rank = 0; rank < 10; rank++) {
		struct hot *best = NULL;
		for (int i = 0; i < HOT_SLOTS; i++)
			if (hot[i].count && (!best || hot[i].count > best->count))
				best = &hot[i];
		if (!best)
			break;
		struct patched *pp = set_slot(best->site - 7);
		if (pp && pp->site == best->site - 7) {	/* trapped once, then patched */
			best->count = 0;
			rank--;
			continue;
		}
		struct exec_map m;
		const char *name = (unsigned long)best->nr < SYSCALL_TABLE_SIZE && syscall_names[best->nr]
					   ? syscall_names[best->nr] : "?";
		uint64_t sc = best->site - 2;	/* the syscall instruction */
		if (vm_find_exec_map(sc, 2, &m))
			log_debug("  unpatched site %#lx (%s+%#lx): %s, %lu traps", (unsigned long)sc,
				  image_path(m.manifest_index), (unsigned long)(m.file_off + (sc - m.start)),
				  name, (unsigned long)best->count);
		else
			log_debug("  unpatched site %#lx (not in an image file): %s, %lu traps",
				  (unsigned long)sc, name, (unsigned long)best->count);
		best->count = 0;
	}
}
