/* libos/vm/maps.c — /proc/self/maps and /proc/self/smaps from the VMA tree, in Linux's format:
 * the app's VMAs only (runtime memory is invisible, the host's vDSO and vvar are shown under their
 * names), file paths as the app sees them, [heap] and [stack] by Linux's own rules. */
#include "vm_internal.h"
#include "../fs/fs.h"
#include "../../lib/format.h"
#include "../../lib/alloc.h"
#include "../../lib/mem.h"
#include "../../pal/pal.h"
#include <linux/mman.h>

/* A snapshot of one VMA, taken under the lock so the text is written without it. */
struct map_line {
	uint64_t start, end, off, dev, ino, rss;
	uint32_t prot, flags;
	const char *name;
	struct file *file;	/* referenced while the snapshot lives */
};

static const char *label_of(const struct vma *v)
{
	static const char *const names[] = { NULL, "[vdso]", "[vvar]", "[vvar_vclock]" };
	if (v->label)
		return names[v->label];
	if (v->file)
		return NULL;
	if (v->start <= vm.brk && v->end >= vm.start_brk)	/* Linux's vma_is_initial_heap */
		return "[heap]";
	if (v->start <= vm.start_stack && v->end >= vm.start_stack)	/* vma_is_initial_stack */
		return "[stack]";
	if (v->flags & VMA_SHARED)
		return "/dev/zero (deleted)";
	return NULL;
}

static uint64_t resident_pages(uint64_t start, uint64_t end)
{
	unsigned char vec[256];
	uint64_t n = 0;
	for (uint64_t at = start; at < end;) {
		uint64_t pages = (end - at) / PAGE_SIZE;
		if (pages > sizeof(vec))
			pages = sizeof(vec);
		if (pal_mincore((void *)at, pages * PAGE_SIZE, vec) < 0)
			break;
		for (uint64_t i = 0; i < pages; i++)
			n += vec[i] & 1;
		at += pages * PAGE_SIZE;
	}
	return n;
}

/* Takes the snapshot; returns the count (0 on allocation failure). */
static long snapshot(struct map_line **out, int with_rss)
{
	long cap = 0, n = 0;
	struct map_line *lines = NULL;
	for (;;) {
		spin_lock(&vm.lock);
		if (vm.tree.count <= cap)
			break;
		cap = vm.tree.count + 16;
		spin_unlock(&vm.lock);
		heap_free(lines);
		lines = heap_alloc(sizeof(*lines) * (size_t)cap);
		if (!lines)
			return 0;
	}
	for (struct vma *v = vma_first(&vm.tree); v; v = vma_next(v)) {
		if ((v->flags & VMA_RESERVED) && !v->label)
			continue;
		struct map_line *l = &lines[n++];
		*l = (struct map_line){ v->start, v->end, v->file ? v->off : 0, 0, 0, 0, v->prot, v->flags,
					label_of(v), v->file };
		if (v->file)
			file_get(v->file);
		if (v->label)	/* the host's vDSO pages: their real permissions */
			l->prot = v->label == LBL_VDSO ? PROT_READ | PROT_EXEC : PROT_READ;
	}
	spin_unlock(&vm.lock);
	/* Resident pages are counted without the lock (a mincore walk over every VMA can be long);
	 * a range unmapped meanwhile counts what mincore still finds. */
	for (long i = 0; with_rss && i < n; i++)
		if (!(lines[i].flags & VMA_RESERVED))
			lines[i].rss = resident_pages(lines[i].start, lines[i].end) * PAGE_SIZE;
	*out = lines;
	return n;
}

static void release(struct map_line *lines, long n)
{
	for (long i = 0; i < n; i++)
		if (lines[i].file)
			file_put(lines[i].file);
	heap_free(lines);
}

/* "start-end perms offset major:minor inode", then the name from column 73 as Linux pads it. */
static void header(struct fmt_buf *b, struct map_line *l)
{
	unsigned long major = 0, minor = 0, ino = 0;
	if (l->file) {
		struct stat st;
		if (l->file->ops->stat && l->file->ops->stat(l->file, &st) == 0) {
			major = (st.st_dev >> 8 & 0xfff) | (st.st_dev >> 32 & ~0xffful);
			minor = (st.st_dev & 0xff) | (st.st_dev >> 12 & ~0xfful);
			ino = st.st_ino;
		}
	} else if (l->flags & VMA_SHARED) {
		minor = 1;
	}
	size_t at = b->len;
	fmt_append(b, "%08lx-%08lx %c%c%c%c %08lx %02lx:%02lx %lu ", (unsigned long)l->start,
		   (unsigned long)l->end, (l->prot & PROT_READ) ? 'r' : '-', (l->prot & PROT_WRITE) ? 'w' : '-',
		   (l->prot & PROT_EXEC) ? 'x' : '-', (l->flags & VMA_SHARED) ? 's' : 'p',
		   (unsigned long)l->off, major, minor, ino);
	const char *name = l->name ? l->name : l->file ? l->file->path : NULL;
	if (name) {
		size_t width = b->len - at;
		fmt_append(b, "%*s%s\n", width < 72 ? (int)(72 - width) + 1 : 1, "", name);
	} else {
		fmt_append(b, "\n");
	}
}

/* The host's legacy vsyscall page, above the user half: shown as the host has it. */
static int vsyscall_line(struct map_line *l)
{
	const char *p = vm.vsyscall_perms;
	*l = (struct map_line){ 0xffffffffff600000ull, 0xffffffffff601000ull, 0, 0, 0, 0,
				(p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) |
					(p[2] == 'x' ? PROT_EXEC : 0),
				VMA_RESERVED, "[vsyscall]", NULL };
	return vm.has_vsyscall;
}

void vm_gen_maps(struct fmt_buf *b)
{
	struct map_line *lines, vl;
	long n = snapshot(&lines, 0);
	for (long i = 0; i < n; i++)
		header(b, &lines[i]);
	if (vsyscall_line(&vl))
		header(b, &vl);
	if (n)
		release(lines, n);
}

static void kb(struct fmt_buf *b, const char *name, uint64_t bytes)
{
	fmt_append(b, "%-16s%8lu kB\n", name, (unsigned long)(bytes >> 10));
}

static void smaps_entry(struct fmt_buf *b, struct map_line *l)
{
	header(b, l);
	uint64_t size = l->end - l->start, rss = l->rss;
	int anon = !l->file && !(l->flags & (VMA_SHARED | VMA_RESERVED));
	int gate = l->start >= VM_HIGH;	/* the vsyscall page: no may-read/may-exec bits */
	kb(b, "Size:", size);
	kb(b, "KernelPageSize:", PAGE_SIZE);
	kb(b, "MMUPageSize:", PAGE_SIZE);
	kb(b, "Rss:", rss);
	kb(b, "Pss:", rss);
	kb(b, "Pss_Dirty:", anon ? rss : 0);
	kb(b, "Shared_Clean:", 0);
	kb(b, "Shared_Dirty:", 0);
	kb(b, "Private_Clean:", anon ? 0 : rss);
	kb(b, "Private_Dirty:", anon ? rss : 0);
	kb(b, "Referenced:", rss);
	kb(b, "Anonymous:", anon ? rss : 0);
	kb(b, "KSM:", 0);
	kb(b, "LazyFree:", 0);
	kb(b, "AnonHugePages:", 0);
	kb(b, "ShmemPmdMapped:", 0);
	kb(b, "FilePmdMapped:", 0);
	kb(b, "Shared_Hugetlb:", 0);
	kb(b, "Private_Hugetlb:", 0);
	kb(b, "Swap:", 0);
	kb(b, "SwapPss:", 0);
	kb(b, "Locked:", (l->flags & VMA_LOCKED) ? rss : 0);
	fmt_append(b, "THPeligible:    %8d\n", 0);
	/* Linux writes each two-letter flag followed by a space. */
	fmt_append(b, "VmFlags: %s%s%s%s%s%s%s%s%s%s%s%s\n", (l->prot & PROT_READ) ? "rd " : "",
		   (l->prot & PROT_WRITE) ? "wr " : "", (l->prot & PROT_EXEC) ? "ex " : "",
		   (l->flags & VMA_SHARED) ? "sh " : "", gate ? "" : "mr ",
		   (l->flags & VMA_MAYWRITE) ? "mw " : "", gate ? "" : "me ",
		   (l->flags & VMA_SHARED) ? "ms " : "", (l->flags & VMA_GROWSDOWN) ? "gd " : "",
		   (l->flags & VMA_LOCKED) ? "lo " : "", (l->flags & VMA_NORESERVE) ? "nr " : "",
		   anon ? "ac " : "");
}

void vm_gen_smaps(struct fmt_buf *b)
{
	struct map_line *lines, vl;
	long n = snapshot(&lines, 1);
	for (long i = 0; i < n; i++)
		smaps_entry(b, &lines[i]);
	if (vsyscall_line(&vl))
		smaps_entry(b, &vl);
	if (n)
		release(lines, n);
}
