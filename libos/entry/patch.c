/* libos/entry/patch.c — patching of syscall sites, eagerly when an image file is mapped
 * executable and lazily on the first trap from a site, if `cella build` proved it (the manifest's
 * site table for the mapped file, kinds in manifest.h). The 5-byte `mov $nr,%eax` becomes
 * `jmp trampoline`; a short site's 2- or 3-byte instruction becomes `jmp rel8` to its proven
 * padding slot, which holds `jmp trampoline`. The trampoline replays the site's instructions up
 * to the syscall, sets rcx and jumps to cella_fastpath_entry. The syscall instruction stays, so a
 * branch to it still traps. The rewrite is safe while other threads run the same code: int3
 * first, then the displacement, then the jmp opcode, with every thread's instruction stream
 * serialized in between; a thread that meets the int3 is steered to the original semantics
 * (patch_handle_int3). */
#include "patch.h"
#include "../signal/signal.h"
#include "dispatch.h"
#include "shortsite.h"
#include "usercopy.h"
#include "../errno.h"
#include "../log.h"
#include "../fs/fs.h"
#include "../vm/vm.h"
#include "../../include/cella/manifest.h"
#include "../../lib/mem.h"
#include "../../lib/alloc.h"
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
	uint64_t present;	/* bytes from base made present (populated) so far */
};

/* Chunk pages are made present a few at a time as slots are handed out: one call instead of
 * a fault per page, and no pages for slots a short program never takes (a 64 KiB chunk holds
 * 2047 slots; a static hello world takes ~90). */
#define CHUNK_POPULATE_STEP (16 * 1024)

/* A patched site, kept so that a late SIGTRAP from its int3 phase is still recognised: what its
 * first instruction did (a mov of nr when len is 5, else the short instruction insn[len]). It is
 * entered before the int3 is written. */
struct patched {
	uint64_t site;
	uint32_t nr;
	uint8_t len, insn[3];
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
	int patched;
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

#define TOMBSTONE 1	/* a forgotten site: keeps probe chains intact, never matches a site */

/* The slot holding `site`, or the empty slot where it would go. */
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

/* A chunk with a free slot within rel32 reach of `site`: an existing one, or a new one mapped
 * near (its first slot holds the address of cella_fastpath_entry). */
static struct chunk *chunk_near(uint64_t site)
{
	for (int i = 0; i < pt.nchunks; i++) {
		struct chunk *c = &pt.chunks[i];
		if (c->used + TRAMP_SLOT <= CHUNK_SIZE && within_reach(c->base, site) &&
		    within_reach(c->base + CHUNK_SIZE, site))
			return c;
	}
	if (pt.nchunks == MAX_CHUNKS)
		return NULL;
	/* A chunk the VM manager places within reach of the site (it knows every free range). */
	long r = vm_runtime_map(CHUNK_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, site, 1ull << 30);
	if (r < 0)
		return NULL;
	struct chunk *c = &pt.chunks[pt.nchunks++];
	*c = (struct chunk){ .base = (uint64_t)r };
	return c;
}

/* A trampoline slot within rel32 reach of `site`, its page present; 0 if there is none. */
static uint64_t alloc_slot(uint64_t site)
{
	struct chunk *c = chunk_near(site);
	if (!c)
		return 0;
	if (c->used + TRAMP_SLOT > c->present) {
		pal_madvise((void *)(c->base + c->present), CHUNK_POPULATE_STEP, 23 /* MADV_POPULATE_WRITE */);
		c->present += CHUNK_POPULATE_STEP;
	}
	if (c->used == 0) {	/* a new chunk: its first slot is the entry's address */
		*(uint64_t *)c->base = (uint64_t)cella_fastpath_entry;
		c->used = TRAMP_SLOT;
	}
	uint64_t s = c->base + c->used;
	c->used += TRAMP_SLOT;
	return s;
}

/* <the site's instructions before the syscall, replayed>; lea after_syscall(%rip),%rcx;
 * jmp *chunk_base(%rip). `code` holds those n bytes: `mov $nr,%eax` and the gap, or the short
 * instruction; all position-independent, proven at build and checked in memory by the caller. */
static void write_trampoline(uint64_t t, uint64_t site, const uint8_t *code, uint32_t n)
{
	uint8_t *p = (uint8_t *)t;
	uint64_t chunk_base = t & ~(uint64_t)(CHUNK_SIZE - 1);
	uint64_t after = site + n + 2;
	memcpy(p, code, n);
	uint8_t *q = p + n;
	int32_t lea_rel = (int32_t)(int64_t)(after - ((uint64_t)q + 7));
	int32_t jmp_rel = (int32_t)(int64_t)(chunk_base - ((uint64_t)q + 13));
	q[0] = 0x48, q[1] = 0x8d, q[2] = 0x0d;
	memcpy(q + 3, &lea_rel, 4);
	q[7] = 0xff, q[8] = 0x25;
	memcpy(q + 9, &jmp_rel, 4);
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
	if (pal_mprotect((void *)page, len, prot) < 0)
		log_warn("fast path: code at %#lx stays writable", (unsigned long)page);
	return 0;
}

/* The same for a short site: `jmp t` goes into the padding slot first — no thread can reach the
 * slot yet, so plain stores do — and every thread serializes before any can jump there; then the
 * 2-byte `jmp rel8` to the slot replaces the short instruction under the int3 protocol. */
static long write_short_jump(uint64_t site, uint64_t slot, uint64_t t, int prot)
{
	uint64_t lo = site < slot ? site : slot, hi = site + 2 > slot + 5 ? site + 2 : slot + 5;
	uint64_t page = lo & ~(PAGE_SIZE - 1), len = PAGE_ALIGN(hi) - page;
	long r = pal_mprotect((void *)page, len, prot | PROT_WRITE);
	if (r < 0)
		return r;
	int32_t rel = (int32_t)(int64_t)(t - (slot + 5));
	volatile uint8_t *p = (volatile uint8_t *)slot, *s = (volatile uint8_t *)site;
	p[0] = 0xe9;
	for (int i = 0; i < 4; i++)
		p[1 + i] = (uint8_t)(rel >> (8 * i));
	sync_all_cores();
	s[0] = 0xcc;
	sync_all_cores();
	s[1] = (uint8_t)(int8_t)(int64_t)(slot - (site + 2));
	sync_all_cores();
	s[0] = 0xeb;			/* jmp rel8 */
	sync_all_cores();
	if (pal_mprotect((void *)page, len, prot) < 0)
		log_warn("fast path: code at %#lx stays writable", (unsigned long)page);
	return 0;
}

/* A kind this runtime patches, with sizes that fit it. */
static int kind_ok(const struct cella_manifest_site *c)
{
	return (c->kind == CELLA_SITE_MOV_EAX_SYSCALL && c->len == 5 && c->gap == 0) ||
	       (c->kind == CELLA_SITE_MOV_EAX_GAP_SYSCALL && c->len == 5 && c->gap <= CELLA_SITE_MAX_GAP) ||
	       (c->kind == CELLA_SITE_SHORT_PAD_SYSCALL && (c->len == 2 || c->len == 3) && c->gap == 0);
}

/* The bytes at a site, code[0..len+gap+2), are still what the build proved (the file content was
 * verified at open, but the app may have rewritten its code since). */
static int code_ok(const struct cella_manifest_site *c, const uint8_t *code)
{
	uint32_t n = c->len + c->gap;
	if (code[n] != 0x0f || code[n + 1] != 0x05)
		return 0;
	if (c->kind == CELLA_SITE_SHORT_PAD_SYSCALL)
		return short_insn_ok(code, c->len, c->nr);
	uint32_t imm;
	memcpy(&imm, code + 1, 4);
	return code[0] == 0xb8 && imm == c->nr;
}

/* The build's site whose syscall instruction is at file offset `sc_off`, or NULL: the last site
 * starting before it, if its instructions end exactly there. */
static const struct cella_manifest_site *site_proven(long index, uint64_t sc_off, uint32_t nr)
{
	uint32_t n;
	const struct cella_manifest_site *s = image_sites(index, &n);
	uint32_t lo = 0, hi = n;
	while (lo < hi) {	/* first site with offset >= sc_off */
		uint32_t mid = (lo + hi) / 2;
		if (s[mid].offset < sc_off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct cella_manifest_site *c = &s[lo - 1];
	return kind_ok(c) && c->offset + c->len + c->gap == sc_off &&
	       (c->nr == nr || c->nr == CELLA_SITE_NR_REG) ? c : NULL;
}

/* Records the site in the patched set before any byte of it changes, so that a thread meeting
 * the int3 is recognised. Caller holds pt.lock; p is set_slot(site), empty. */
static void enter_patched(struct patched *p, uint64_t site, const struct cella_manifest_site *c,
			  const uint8_t *code)
{
	p->nr = c->nr;
	p->len = c->len;
	if (c->kind == CELLA_SITE_SHORT_PAD_SYSCALL)
		memcpy(p->insn, code, c->len);
	__atomic_store_n(&p->site, site, __ATOMIC_RELEASE);
	pt.npatched++;
}

static void mark_hot_patched(uint64_t rip)
{
	uint64_t h = (rip * 0x9e3779b97f4a7c15ull) >> 55;
	for (int i = 0; i < 16; i++) {
		struct hot *e = &hot[(h + (uint64_t)i) & (HOT_SLOTS - 1)];
		if (e->site == rip)
			e->patched = 1;
	}
}

void patch_on_trap(struct pal_regs *regs, long nr)
{
	uint64_t sc = regs->rip - 2;	/* the syscall instruction */
	uint8_t code[5 + CELLA_SITE_MAX_GAP + 2];	/* the longest kind */
	struct exec_map m;
	__atomic_add_fetch(&stats.trap, 1, __ATOMIC_RELAXED);
	if (log_level >= LOG_DEBUG)
		count_trap_site(regs->rip, nr);
	if (pt.disabled || !vm_find_exec_map(sc, 2, &m))
		return;
	const struct cella_manifest_site *ps = site_proven(m.manifest_index, m.file_off + (sc - m.start),
							    (uint32_t)nr);
	if (!ps)
		return;
	uint64_t site = sc - ps->len - ps->gap;
	uint32_t len = ps->len + ps->gap + 2;
	uint64_t slot = site + 2 + (uint64_t)(int64_t)ps->pad;
	int is_short = ps->kind == CELLA_SITE_SHORT_PAD_SYSCALL;
	if (site < m.start || (is_short && (slot < m.start || slot + 5 > m.end)) ||
	    copy_from_user(code, (void *)site, len) < 0 || !code_ok(ps, code))
		return;
	spin_lock(&pt.lock);
	struct patched *p = set_slot(site);
	if (p && p->site == 0 && pt.npatched < MAX_PATCHED / 2) {
		uint64_t t = alloc_slot(site);
		if (t) {
			write_trampoline(t, site, code, len - 2);
			enter_patched(p, site, ps, code);
			/* The bytes change under vm.lock, in the mapping as it is now: another thread
			 * may have unmapped, replaced or re-protected it since the trap. */
			uint64_t lo = is_short && slot < site ? slot : site;
			uint64_t hi = is_short && slot + 5 > site + len ? slot + 5 : site + len;
			int prot;
			long r = -1;
			if (vm_code_lock(lo, hi, m.manifest_index, m.file_off + (lo - m.start), &prot)) {
				r = is_short ? write_short_jump(site, slot, t, prot) : write_jump(site, t, prot);
				vm_code_unlock();
			}
			if (r == 0) {
				mark_hot_patched(regs->rip);
			} else {	/* nothing was written */
				p->site = TOMBSTONE;
				pt.npatched--;
			}
		} else {
			pt.disabled = 1;
			log_warn("fast path: no room for trampolines near %#lx; patching stops", (unsigned long)site);
		}
	}
	spin_unlock(&pt.lock);
}

void patch_forget_range(uint64_t start, uint64_t len)
{
	spin_lock(&pt.lock);
	for (int i = 0; i < MAX_PATCHED; i++)
		if (pt.set[i].site >= start && pt.set[i].site < start + len)
			pt.set[i].site = TOMBSTONE;
	spin_unlock(&pt.lock);
}

/* Patches every proven site of a fresh executable mapping of an image file. No thread can be
 * running code there yet, so the jumps are written directly, one mprotect for the whole range.
 * This makes even a program's first call at each site fast; lazy patching (above) still covers
 * sites of mappings that become executable later. The protection written back is the
 * mapping's at that moment, not `prot`.
 * Order matters for cost: the pages holding sites are made private copies (MADV_POPULATE_WRITE)
 * before anything reads them. A page not yet mapped is copied from the page cache straight into
 * place; one already mapped read-only would be copied and its old translation flushed from every
 * CPU the process ran on, an IPI each on a virtual machine (4-6x the cost, measured here). */
void patch_new_mapping(uint64_t start, uint64_t len, int prot, long index, uint64_t file_off)
{
	(void)prot;
	uint32_t n;
	const struct cella_manifest_site *s = image_sites(index, &n);
	uint32_t lo = 0, hi = n;
	while (lo < hi) {	/* first site at or after file_off */
		uint32_t mid = (lo + hi) / 2;
		if (s[mid].offset < file_off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n || s[lo].offset >= file_off + len || pt.disabled)
		return;
	/* Two phases: a trampoline slot for every site first (placing a chunk may take vm.lock),
	 * then, under vm.lock and only if the mapping is still the one made, the pages, the checks
	 * and the writes. A slot whose site then fails its check stays unused. */
	struct pending { uint64_t site, from, t; const struct cella_manifest_site *c; };
	uint32_t most = n - lo < 4096 ? n - lo : 4096;
	struct pending *todo = heap_alloc(most * sizeof(*todo));	/* not .bss: start-up populates that whole */
	int ntodo = 0;
	if (!todo)
		return;	/* the sites are patched lazily instead */
	spin_lock(&pt.lock);
	for (uint32_t i = lo; i < n && (uint32_t)ntodo < most && s[i].offset + s[i].len + s[i].gap + 2 <= file_off + len; i++) {
		const struct cella_manifest_site *c = &s[i];
		int64_t slot_off = (int64_t)c->offset + 2 + c->pad - (int64_t)file_off;
		int is_short = c->kind == CELLA_SITE_SHORT_PAD_SYSCALL;
		if (!kind_ok(c) || (is_short && (slot_off < 0 || (uint64_t)slot_off + 5 > len)))
			continue;
		if (pt.npatched + ntodo >= MAX_PATCHED / 2)
			break;
		uint64_t site = start + (c->offset - file_off);
		uint64_t t = alloc_slot(site);
		if (!t) {
			pt.disabled = 1;
			break;
		}
		todo[ntodo++] = (struct pending){ site, is_short ? start + (uint64_t)slot_off : site, t, c };
	}
	int cur;
	if (ntodo && vm_code_lock(start, start + len, index, file_off, &cur)) {
		if (pal_mprotect((void *)start, len, cur | PROT_WRITE) == 0) {
			for (int i = 0, j; i < ntodo; i = j) {	/* one call per run of site pages */
				uint64_t plo = todo[i].site & ~(PAGE_SIZE - 1);
				uint64_t phi = PAGE_ALIGN(todo[i].site + 7);
				for (j = i + 1; j < ntodo && (todo[j].site & ~(PAGE_SIZE - 1)) <= phi; j++)
					phi = PAGE_ALIGN(todo[j].site + 7);
				pal_madvise((void *)plo, phi - plo, 23 /* MADV_POPULATE_WRITE */);
			}
			for (int i = 0; i < ntodo; i++) {
				struct pending *d = &todo[i];
				const struct cella_manifest_site *c = d->c;
				uint8_t code[5 + CELLA_SITE_MAX_GAP + 2];
				struct patched *p = set_slot(d->site);
				if (!p || p->site || copy_from_user(code, (const void *)d->site, c->len + c->gap + 2) < 0 ||
				    !code_ok(c, code))
					continue;
				write_trampoline(d->t, d->site, code, c->len + c->gap);
				enter_patched(p, d->site, c, code);
				/* Nobody runs this code yet: the jumps are written directly. */
				int32_t rel = (int32_t)(int64_t)(d->t - (d->from + 5));
				uint8_t jmp[5] = { 0xe9 };
				memcpy(jmp + 1, &rel, 4);
				memcpy((void *)d->from, jmp, 5);
				if (c->kind == CELLA_SITE_SHORT_PAD_SYSCALL) {
					uint8_t j8[2] = { 0xeb, (uint8_t)c->pad };
					memcpy((void *)d->site, j8, 2);
				}
			}
			pal_mprotect((void *)start, len, cur);
		}
		vm_code_unlock();
	}
	spin_unlock(&pt.lock);
	heap_free(todo);
}

int patch_handle_int3(struct pal_regs *regs)
{
	uint64_t site = regs->rip - 1;
	struct patched *p = set_slot(site);
	if (!p || __atomic_load_n(&p->site, __ATOMIC_ACQUIRE) != site)
		return 0;
	if (p->len == 5)
		regs->rax = p->nr;	/* what the mov would have done */
	else
		short_insn_emulate(regs, p->insn, p->len);
	regs->rip = site + p->len;	/* the gap (if any), then the syscall: it traps as before */
	return 1;
}

long libos_syscall_fast(struct pal_regs *regs, long nr)
{
	__atomic_add_fetch(&stats.fast, 1, __ATOMIC_RELAXED);
	long r = libos_syscall(regs, nr);
	regs->rax = (uint64_t)r;
	sig_deliver(regs, 1);
	/* rt_sigreturn restores every register, rcx and r11 included, which the fast path's own
	 * return (Linux's syscall contract) would clobber: resume through the full restore. */
	if (nr == 15 /* rt_sigreturn */)
		pal_resume_app(regs);
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
		if (best->patched) {	/* trapped once, then patched */
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

struct spinlock *patch_lock(void)
{
	return &pt.lock;
}
