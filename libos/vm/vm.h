/* libos/vm/vm.h — the first-cut memory manager: app mappings go to the host after checks that
 * keep them off the runtime's own ranges; brk is emulated on an anonymous region after the
 * program. (The full VMA manager is its own issue; this API is what it will keep.) */
#ifndef LIBOS_VM_H
#define LIBOS_VM_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096ul
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

/* Maps on behalf of the app (loader and mmap). addr 0: the host picks. Returns address or -errno. */
long vm_map(uint64_t addr, size_t len, int prot, int flags, int host_fd, long off);
/* Records where the program's brk area starts (page after its highest segment). */
void vm_set_brk_base(uint64_t base);
/* Records the app's main stack range, for /proc/self/maps. */
void vm_set_stack(uint64_t start, uint64_t end);
/* "[heap]" / "[stack]" for the app's brk area and main stack, else NULL. */
const char *vm_label(uint64_t start, uint64_t end);
/* Bytes the app has mapped (approximate in this first cut). */
uint64_t vm_app_bytes(void);

/* Executable mappings of image files (execmap.c), for the fast path's site lookup. */
struct exec_map {
	uint64_t start, end;
	int prot;
	long manifest_index;
	uint64_t file_off;	/* file offset mapped at start */
};
void vm_note_exec_map(uint64_t start, uint64_t len, int prot, long manifest_index, uint64_t off);
/* Drops every entry overlapping [start, start+len): the range was unmapped or replaced. */
void vm_forget_exec_maps(uint64_t start, uint64_t len);
/* The entry that holds [addr, addr+len), copied to *out; 0 if none. */
int vm_find_exec_map(uint64_t addr, uint64_t len, struct exec_map *out);

#endif
