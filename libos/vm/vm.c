/* libos/vm/vm.c — the VM manager's state: start-up (what the host already mapped becomes reserved;
 * the app's mmap base and stack top are laid out, randomised unless aslr is off), the operation
 * bracket, the tree primitives the calls are built from, limits, placement and the full check. */
#include "vm_internal.h"
#include "../config.h"
#include "../errno.h"
#include "../log.h"
#include "../entry/usercopy.h"
#include "../entry/patch.h"
#include "../fs/fs.h"
#include "../process/process.h"
#include "../process/cred.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include "../../pal/pal.h"
#include <linux/mman.h>
#include <linux/resource.h>
#include <linux/fcntl.h>
#include <linux/openat2.h>

struct vm_state vm;

/* ---- host /proc/self/maps ---- */

struct host_map {
	uint64_t start, end;
	char perms[5];
	const char *name;	/* points into the buffer; "" for none */
};

/* Reads the host's maps into a heap buffer (the caller frees *buf); returns its length. */
static long read_host_maps(char **buf)
{
	/* One 16 KiB heap block to start: a runtime just started has a dozen mappings (~1.5 KiB
	 * of text). Asking 64 KiB took a 128 KiB block, which freed stays in its size class, and
	 * pushed the rest of start-up's heap past the part libos_main populates (each page past
	 * it then faulted in: ~10 us on a VM). */
	size_t block = 16 << 10;
	for (;;) {
		size_t size = block - HEAP_BLOCK_HDR;
		char *b = heap_alloc(size);
		if (!b)
			return -ENOMEM;
		struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };
		long fd = pal_openat2(-100, "/proc/self/maps", &how, sizeof(how));
		if (fd < 0) {
			heap_free(b);
			return fd;
		}
		size_t len = 0;
		long n;
		while (len < size - 1 && (n = pal_read((int)fd, b + len, size - 1 - len)) > 0)
			len += (size_t)n;
		pal_close((int)fd);
		if (len < size - 1) {
			b[len] = 0;
			*buf = b;
			return (long)len;
		}
		heap_free(b);
		block *= 4;
	}
}

static uint64_t parse_hex(char **p)
{
	uint64_t v = 0;
	for (;; (*p)++) {
		char c = **p;
		if (c >= '0' && c <= '9')
			v = v * 16 + (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (uint64_t)(c - 'a' + 10);
		else
			return v;
	}
}

/* Parses the next line at *p; 0 at the end. */
static int next_host_map(char **p, struct host_map *m)
{
	char *s = *p;
	if (!*s)
		return 0;
	char *nl = strchr(s, '\n');
	if (nl)
		*nl = 0;
	*p = nl ? nl + 1 : s + strlen(s);
	m->start = parse_hex(&s);
	s++;
	m->end = parse_hex(&s);
	s++;
	memcpy(m->perms, s, 4);
	m->perms[4] = 0;
	for (int f = 0; f < 4 && *s; f++) {	/* perms, offset, dev, inode */
		while (*s && *s != ' ')
			s++;
		while (*s == ' ')
			s++;
	}
	m->name = s;
	return 1;
}

/* ---- nodes and the operation bracket ---- */

struct vma *vm_new_node(void)
{
	if (!vm.nspare)
		return NULL;
	struct vma *v = vm.spare[--vm.nspare];
	memset(v, 0, sizeof(*v));
	return v;
}

void vm_drop_node(struct vm_op *op, struct vma *v)
{
	v->left = op->dead;
	op->dead = v;
}

long vm_refill(int nodes)
{
	while (vm.nspare < nodes) {
		struct vma *v = heap_alloc(sizeof(*v));
		if (!v)
			return -ENOMEM;
		vm.spare[vm.nspare++] = v;
	}
	return 0;
}

long vm_begin(struct vm_op *op, const char *name, int nodes)
{
	memset(op, 0, sizeof(*op));
	op->name = name;
	op->exec_index = -1;
	spin_lock(&vm.lock);
	if (vm_refill(nodes) < 0) {
		spin_unlock(&vm.lock);
		return -ENOMEM;
	}
	return 0;
}

void vm_end(struct vm_op *op)
{
	/* Keep freed nodes as spares; their file references go after the lock is dropped. */
	struct vma *files = NULL;
	while (op->dead) {
		struct vma *v = op->dead;
		op->dead = v->left;
		if (v->file || vm.nspare == VM_SPARES) {
			v->left = files;
			files = v;
		} else {
			vm.spare[vm.nspare++] = v;
		}
	}
	spin_unlock(&vm.lock);
	while (files) {
		struct vma *v = files;
		files = v->left;
		if (v->file)
			file_put(v->file);
		heap_free(v);
	}
	if (op->forget_end > op->forget_start)
		patch_forget_range(op->forget_start, op->forget_end - op->forget_start);
	if (op->exec_index >= 0)
		patch_new_mapping(op->exec_start, op->exec_len, op->exec_prot, op->exec_index,
				  op->exec_off);
	if (vm.checks && !op->no_check)
		vm_check(op->name);
}

/* ---- tree primitives ---- */

struct vma *vm_split(struct vma *v, uint64_t at)
{
	struct vma *n = vm_new_node();
	if (!n)
		libos_panic("vm: out of spare nodes splitting %#lx", (unsigned long)at);
	n->start = at;
	n->end = v->end;
	n->prot = v->prot;
	n->flags = v->flags;
	n->file = v->file;
	if (n->file)
		file_get(n->file);
	n->off = v->off + (at - v->start);
	n->label = v->label;
	vma_set_range(&vm.tree, v, v->start, at);
	vma_insert(&vm.tree, n);
	return n;
}

static int is_image_code(const struct vma *v)
{
	return v->file && v->file->manifest_index >= 0 && (v->prot & PROT_EXEC);
}

void vm_unmap_tree(struct vm_op *op, uint64_t start, uint64_t end)
{
	struct vma *v = vma_find(&vm.tree, start);
	while (v && v->start < end) {
		struct vma *next = vma_next(v);
		if (v->flags & VMA_RESERVED) {
			v = next;
			continue;
		}
		if (v->start < start) {	/* keep the part below start */
			v = vm_split(v, start);
			continue;
		}
		if (v->end > end)	/* keep the part above end */
			vm_split(v, end);
		if (is_image_code(v)) {
			if (op->forget_end <= op->forget_start || v->start < op->forget_start)
				op->forget_start = v->start;
			if (v->end > op->forget_end)
				op->forget_end = v->end;
		}
		vma_remove(&vm.tree, v);
		vm_drop_node(op, v);
		v = vma_find(&vm.tree, start);
		while (v && v->end <= start)
			v = vma_next(v);
	}
}

long vm_unmap_locked(struct vm_op *op, uint64_t start, uint64_t end)
{
	struct vma *v = vma_find(&vm.tree, start);
	if (!v || v->start >= end)
		return 0;
	if (!vm_range_reserved(start, end)) {
		/* One host call: it fails as a whole (splitting past the host's map count) or not at
		 * all, and the tree follows only a success. */
		long r = pal_munmap((void *)start, end - start);
		if (r < 0)
			return r;
	} else {
		/* Around runtime memory, piece by piece. Should the host refuse one, the tree loses
		 * just the pieces before it, which the host did unmap: it stays the host's picture. */
		for (; v && v->start < end; v = vma_next(v)) {
			if (v->flags & VMA_RESERVED)
				continue;
			uint64_t s = v->start > start ? v->start : start, e = v->end < end ? v->end : end;
			long r = pal_munmap((void *)s, e - s);
			if (r < 0) {
				vm_unmap_tree(op, start, s);
				return r;
			}
		}
	}
	vm_unmap_tree(op, start, end);
	return 0;
}

struct vma *vm_merge(struct vm_op *op, struct vma *v)
{
	struct vma *p = vma_prev(v), *n = vma_next(v);
	if (n && vma_mergeable(v, n)) {
		vma_remove(&vm.tree, n);
		vma_set_range(&vm.tree, v, v->start, n->end);
		vm_drop_node(op, n);
	}
	if (p && vma_mergeable(p, v)) {
		uint64_t end = v->end;
		vma_remove(&vm.tree, v);
		vm_drop_node(op, v);
		vma_set_range(&vm.tree, p, p->start, end);
		v = p;
	}
	return v;
}

int vm_range_reserved(uint64_t start, uint64_t end)
{
	for (struct vma *v = vma_find(&vm.tree, start); v && v->start < end; v = vma_next(v))
		if (v->flags & VMA_RESERVED)
			return 1;
	return 0;
}

int vm_range_free(uint64_t start, uint64_t end)
{
	struct vma *v = vma_find(&vm.tree, start);
	return !v || v->start >= end;
}

int vm_room(uint64_t start, uint64_t end)
{
	if (!vm_range_free(start, end))
		return 0;
	struct vma *above = vma_find(&vm.tree, end);
	return !above || !(above->flags & VMA_GROWSDOWN) || end + STACK_GUARD_GAP <= above->start;
}

int vm_range_mapped(uint64_t start, uint64_t end)
{
	uint64_t at = start;
	for (struct vma *v = vma_find(&vm.tree, start); v && at < end; v = vma_next(v)) {
		if (v->start > at || (v->flags & VMA_RESERVED))
			return 0;
		at = v->end;
	}
	return at >= end;
}

void vm_range_bytes(uint64_t start, uint64_t end, uint64_t *app, uint64_t *data)
{
	*app = *data = 0;
	for (struct vma *v = vma_find(&vm.tree, start); v && v->start < end; v = vma_next(v)) {
		if (v->flags & VMA_RESERVED)
			continue;
		uint64_t s = v->start > start ? v->start : start, e = v->end < end ? v->end : end;
		*app += e - s;
		if (vma_data_bytes(v))
			*data += e - s;
	}
}

long vm_may_expand(uint64_t add_app, uint64_t add_data)
{
	uint64_t app = vm.tree.app_bytes + add_app;
	if (app > cfg->user_space_size || app > proc.rlim[RLIMIT_AS].cur)
		return -ENOMEM;
	if (add_data && vm.tree.data_bytes + add_data > proc.rlim[RLIMIT_DATA].cur)
		return -ENOMEM;
	return 0;
}

uint64_t vm_locked_bytes(uint64_t start, uint64_t end)
{
	uint64_t n = 0;
	for (struct vma *v = vma_find(&vm.tree, start); v && v->start < end; v = vma_next(v)) {
		if ((v->flags & (VMA_RESERVED | VMA_LOCKED)) != VMA_LOCKED)
			continue;
		uint64_t s = v->start > start ? v->start : start, e = v->end < end ? v->end : end;
		n += e - s;
	}
	return n;
}

long vm_mlock_ok(uint64_t len)
{
	if (cred_capable(CAP_IPC_LOCK))
		return 0;
	uint64_t limit = proc.rlim[RLIMIT_MEMLOCK].cur;
	uint64_t locked = vm_locked_bytes(0, ~0ull);
	return len > limit || locked > limit - len ? -EAGAIN : 0;
}

/* ---- placement ---- */

static uint64_t random_pages(uint64_t max_pages)
{
	uint64_t r = 0;
	if (!cfg->aslr || !max_pages)
		return 0;
	pal_getrandom(&r, sizeof(r), 0);
	return (r % max_pages) * PAGE_SIZE;
}

uint64_t vm_get_area(uint64_t hint, uint64_t len, unsigned long flags)
{
	if (len > VM_HIGH - VM_LOW)
		return 0;
	if (flags & MAP_32BIT)	/* Linux's x86-64 MAP_32BIT window: the second GiB */
		return vma_find_hole_topdown(&vm.tree, len, 0x40000000, 0x80000000, STACK_GUARD_GAP);
	if (hint) {
		hint &= ~(PAGE_SIZE - 1);
		if (hint >= VM_LOW && hint <= VM_HIGH - len && vm_room(hint, hint + len))
			return hint;
	}
	uint64_t a = vma_find_hole_topdown(&vm.tree, len, VM_LOW, vm.mmap_base, STACK_GUARD_GAP);
	if (!a)	/* like Linux, fall back to anywhere (above the base too) */
		a = vma_find_hole_topdown(&vm.tree, len, VM_LOW, VM_HIGH, STACK_GUARD_GAP);
	return a;
}

/* ---- runtime memory ---- */

static struct vma *insert_reserved(uint64_t start, uint64_t end, int label)
{
	struct vma *v = vm_new_node();
	if (!v)
		return NULL;
	v->start = start;
	v->end = end;
	v->flags = VMA_RESERVED;
	v->label = label;
	vma_insert(&vm.tree, v);
	return v;
}

long vm_runtime_map(uint64_t len, int prot, int host_flags, int fd, long off, uint64_t near,
		    uint64_t reach)
{
	struct vm_op op;
	len = PAGE_ALIGN(len);
	long r = vm_begin(&op, "runtime map", 1);
	if (r < 0)
		return r;
	op.no_check = 1;
	uint64_t at = 0;
	if (reach) {	/* aligned to its (power-of-two) size: the highest hole below near, else above */
		uint64_t align = len, want = len + align - PAGE_SIZE;
		uint64_t lo = near > reach + VM_LOW ? near - reach : VM_LOW;
		at = vma_find_hole_topdown(&vm.tree, want, lo, near, 0);
		if (at)
			at = (at + want - len) & ~(align - 1);
		uint64_t hi = near + reach < VM_HIGH ? near + reach : VM_HIGH;
		for (struct vma *v = vma_find(&vm.tree, near); v && !at && v->start < hi; v = vma_next(v)) {
			uint64_t s = v->start - v->gap < near ? near : v->start - v->gap;
			s = (s + align - 1) & ~(align - 1);
			if (s + len <= v->start && s + len <= hi)
				at = s;
		}
		if (!at) {
			vm_end(&op);
			return -ENOMEM;
		}
		host_flags |= MAP_FIXED_NOREPLACE;
	}
	r = pal_mmap((void *)at, len, prot, host_flags, fd, off);
	if (r >= 0 && !vm_range_free((uint64_t)r, (uint64_t)r + len)) {
		/* The host may only hand out what the tree calls free; anything else is a bug here. */
		libos_panic("vm: the host mapped the runtime at %#lx+%#lx, which the VM manager thinks is in use",
			    (unsigned long)r, (unsigned long)len);
	}
	if (r >= 0) {
		insert_reserved((uint64_t)r, (uint64_t)r + len, LBL_NONE);
		uaccess_reserve((uint64_t)r, (uint64_t)r + len);
	}
	vm_end(&op);
	return r;
}

/* ---- start-up ---- */

long vm_init(void)
{
	char *buf;
	long r = read_host_maps(&buf);
	if (r < 0)
		return r;
	struct vm_op op;
	r = vm_begin(&op, "init", 3);
	if (r < 0) {
		heap_free(buf);
		return r;
	}
	/* Page zero up to mmap_min_addr and everything above TASK_SIZE are never the app's. */
	insert_reserved(0, VM_LOW, LBL_NONE);
	insert_reserved(VM_HIGH, 1ull << 47, LBL_NONE);
	struct host_map m;
	char *p = buf;
	uint64_t last_end = VM_LOW, host_low = VM_HIGH;
	while (next_host_map(&p, &m)) {
		if (m.start >= VM_HIGH) {
			if (strcmp(m.name, "[vsyscall]") == 0) {
				vm.has_vsyscall = 1;
				memcpy(vm.vsyscall_perms, m.perms, 5);
			}
			continue;
		}
		int label = strcmp(m.name, "[vdso]") == 0	     ? LBL_VDSO
			    : strcmp(m.name, "[vvar]") == 0	     ? LBL_VVAR
			    : strcmp(m.name, "[vvar_vclock]") == 0 ? LBL_VVAR_VCLOCK
								     : LBL_NONE;
		uint64_t start = m.start;
		if (strcmp(m.name, "[stack]") != 0 && m.start < host_low)
			host_low = m.start;
		/* The host stack may grow: keep its whole rlimit (8 MiB) and a guard gap below it. */
		if (strcmp(m.name, "[stack]") == 0)
			start = start > (9ul << 20) + VM_LOW ? start - (9ul << 20) : VM_LOW;
		if (start < last_end)	/* host entries come sorted; only the stack's room overlaps */
			start = last_end;
		if (start >= m.end)
			continue;
		if (!vm.nspare && !(vm.spare[vm.nspare++] = heap_alloc(sizeof(struct vma)))) {
			vm.nspare = 0;
			vm_end(&op);
			heap_free(buf);
			return -ENOMEM;
		}
		insert_reserved(start, m.end, label);
		if (label == LBL_NONE)
			uaccess_reserve(start, m.end);
		last_end = m.end;
	}
	heap_free(buf);

	/* Linux's layout: the stack at the top (randomised by up to 16 GiB) with the stack rlimit
	 * (at least 128 MiB) of room below it, and the mmap area under that. The mmap area starts
	 * where the host's does: right under the runtime, which the host placed top-down from its
	 * own (host-randomised) mmap base, as it places a native process's vDSO and libraries.
	 * Mappings there share page tables with the runtime's; an app's first mapping alone in a
	 * fresh 512 GiB region would make the host build (and on munmap free) three levels of page
	 * tables every time, which made mmap+touch+munmap 3x dearer than native. */
	uint64_t stack_room = proc.rlim[RLIMIT_STACK].cur;
	if (stack_room < (128ul << 20))
		stack_room = 128ul << 20;
	if (stack_room > (1ull << 40))
		stack_room = 1ull << 40;
	stack_room += STACK_GUARD_GAP;
	uint64_t top = 0;
	for (int tries = 0; tries < 16 && !top; tries++) {
		uint64_t t = VM_HIGH - random_pages(1ul << 22);
		if (vm_range_free(t - stack_room, t))
			top = t;
	}
	if (!top)	/* the host sits where we wanted the stack: take the highest free room */
		top = vma_find_hole_topdown(&vm.tree, stack_room, VM_LOW, VM_HIGH, 0) + stack_room;
	vm.stack_top = top;
	vm.mmap_base = host_low < top - stack_room ? host_low : top - stack_room;
	/* One PROT_NONE page at the top of the mmap area stands where a native process has its vvar:
	 * the host keeps page tables for as long as some mapping covers their range, so the app's
	 * first mappings below it do not rebuild a page-table page on every mmap/munmap cycle. */
	uint64_t anchor = vm.mmap_base - PAGE_SIZE;
	if (!vm.nspare && (vm.spare[0] = heap_alloc(sizeof(struct vma))))
		vm.nspare = 1;
	if (vm.nspare && vm_range_free(anchor, vm.mmap_base) &&
	    pal_mmap((void *)anchor, PAGE_SIZE, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0) == (long)anchor) {
		insert_reserved(anchor, vm.mmap_base, LBL_NONE);
		vm.mmap_base = anchor;
	}
	vm_end(&op);
	return 0;
}

void vm_enable_checks(void)
{
	vm.checks = 1;
}

uint64_t vm_app_bytes(void)
{
	return vm.tree.app_bytes;
}

int vm_find_exec_map(uint64_t addr, uint64_t len, struct exec_map *out)
{
	int found = 0;
	spin_lock(&vm.lock);
	struct vma *v = vma_find(&vm.tree, addr);
	if (v && v->start <= addr && addr + len <= v->end && is_image_code(v)) {
		*out = (struct exec_map){ v->start, v->end, (int)v->prot, v->file->manifest_index, v->off };
		found = 1;
	}
	spin_unlock(&vm.lock);
	return found;
}

int vm_code_lock(uint64_t lo, uint64_t hi, long index, uint64_t off, int *prot)
{
	spin_lock(&vm.lock);
	struct vma *v = vma_find(&vm.tree, lo);
	if (v && v->start <= lo && hi <= v->end && is_image_code(v) && v->file->manifest_index == index &&
	    v->off + (lo - v->start) == off) {
		*prot = (int)v->prot;
		return 1;
	}
	spin_unlock(&vm.lock);
	return 0;
}

void vm_code_unlock(void)
{
	spin_unlock(&vm.lock);
}

/* ---- the full check ---- */

static void check_failed(const char *after, const char *why, const struct vma *v)
{
	if (v)
		libos_panic("vm invariant broken after %s: %s (VMA %#lx-%#lx prot %u flags %#x)", after,
			    why, (unsigned long)v->start, (unsigned long)v->end, v->prot, v->flags);
	libos_panic("vm invariant broken after %s: %s", after, why);
}

void vm_check(const char *after)
{
	char *buf;
	spin_lock(&vm.lock);	/* other threads must not change the map while the two are compared */
	if (read_host_maps(&buf) < 0)
		libos_panic("vm_check: cannot read the host's /proc/self/maps");
	const struct vma *bad = NULL;
	const char *why = vma_tree_check(&vm.tree, &bad);
	if (!why && vm.tree.app_bytes > cfg->user_space_size)
		why = "the app's VMAs exceed user_space_size";
	/* Walk the host's entries against the tree: every host byte below TASK_SIZE lies in a VMA
	 * (reserved ones may hold anything), and app VMAs have exactly their permissions. The host
	 * bytes under app VMAs must add up to the tree's total: then every app VMA is backed. */
	struct host_map m;
	char *p = buf;
	uint64_t host_app = 0;
	while (!why && next_host_map(&p, &m)) {
		if (m.start >= VM_HIGH)
			break;
		uint64_t a, d;
		vm_range_bytes(m.start, m.end, &a, &d);
		host_app += a;
		for (uint64_t at = m.start; at < m.end && !why;) {
			struct vma *v = vma_find(&vm.tree, at);
			if (!v || v->start > at) {
				why = "the host has a mapping where the tree has none";
				bad = v;
				break;
			}
			if (!(v->flags & VMA_RESERVED)) {
				char want[5] = { (v->prot & PROT_READ) ? 'r' : '-', (v->prot & PROT_WRITE) ? 'w' : '-',
						 (v->prot & PROT_EXEC) ? 'x' : '-', (v->flags & VMA_SHARED) ? 's' : 'p', 0 };
				if (memcmp(want, m.perms, 4) != 0) {
					why = "an app VMA's host permissions differ from its own";
					bad = v;
				}
			}
			at = v->end < m.end ? v->end : m.end;
		}
	}
	if (!why && host_app != vm.tree.app_bytes)
		why = "an app VMA is not (fully) mapped on the host";
	if (why) {	/* both sides, for the bug report */
		for (struct vma *v = vma_first(&vm.tree); v; v = vma_next(v))
			log_error("vm tree: %#lx-%#lx prot %u flags %#x", (unsigned long)v->start,
				  (unsigned long)v->end, v->prot, v->flags);
		if (read_host_maps(&p) >= 0) {
			for (char *line = p, *nl; *line; line = nl + 1) {
				if (!(nl = strchr(line, '\n')))
					break;
				*nl = 0;
				log_error("host: %s", line);
			}
			heap_free(p);
		}
	}
	spin_unlock(&vm.lock);
	heap_free(buf);
	if (why)
		check_failed(after, why, bad);
}

struct spinlock *vm_lock(void)
{
	return &vm.lock;
}
