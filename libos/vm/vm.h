/* libos/vm/vm.h — the VM manager: the single source of truth for the app's address space
 * (vma.c holds the tree and its invariants). Every host mapping made after vm_init goes through
 * here, so what the tree calls free is free on the host too. */
#ifndef LIBOS_VM_H
#define LIBOS_VM_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096ul
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define VM_LOW 0x10000ull		/* Linux's default vm.mmap_min_addr */
#define VM_HIGH 0x7ffffffff000ull	/* TASK_SIZE: the top of the 47-bit user half, less a page */
#define STACK_GUARD_GAP (256ul * PAGE_SIZE)	/* Linux's stack_guard_gap */

struct file;
struct fmt_buf;
struct pal_boot;

/* Start-up: records what the host has mapped so far (the runtime, its heap, the host stack,
 * vDSO, vvar) as reserved and lays out the app's range (mmap base, stack top; ASLR per the
 * config). Needs the LibOS heap. */
long vm_init(void);
/* CELLA_VM_CHECK=1: run vm_check after every operation (tests). */
void vm_enable_checks(void);
/* Verifies every invariant of vma.c, the host's mappings included; panics naming the broken one. */
void vm_check(const char *after);

/* Maps for the app. flags are Linux's MAP_* (checked by the caller); f NULL for anonymous.
 * Returns the address or -errno. The loader uses this too. */
long vm_mmap(uint64_t addr, uint64_t len, int prot, unsigned long flags, struct file *f, uint64_t off);
long vm_munmap(uint64_t addr, uint64_t len);

/* The runtime's own memory: a host mapping recorded as reserved. near/reach: the mapping must lie
 * within reach bytes of near and be aligned to its size, a power of two (trampoline chunks);
 * reach 0: anywhere the host likes. */
long vm_runtime_map(uint64_t len, int prot, int host_flags, int fd, long off, uint64_t near,
		    uint64_t reach);

/* The main thread's stack: a VMA_GROWSDOWN mapping of `size` bytes under the chosen stack top. */
long vm_map_main_stack(uint64_t size, uint64_t *top);
/* The initial stack pointer, for /proc's [stack] label. */
void vm_set_start_stack(uint64_t sp);
/* Where the program's brk area may start (page after its highest segment); randomised here. */
void vm_set_brk_base(uint64_t base);

/* An app fault at addr: 1 if resolved (a stack grew: retry the access), else 0 with *code the
 * si_code Linux would give (SEGV_MAPERR or SEGV_ACCERR for SIGSEGV; unchanged otherwise). */
int vm_handle_fault(uint64_t addr, int signo, int *code);

/* /proc/self/maps and /proc/self/smaps. */
void vm_gen_maps(struct fmt_buf *b);
void vm_gen_smaps(struct fmt_buf *b);
/* Bytes the app has mapped (/proc/meminfo, sysinfo). */
uint64_t vm_app_bytes(void);

/* Executable mappings of image files, for the fast path's site lookup. */
struct exec_map {
	uint64_t start, end;
	int prot;
	long manifest_index;
	uint64_t file_off;	/* file offset mapped at start */
};
/* The mapping that holds [addr, addr+len), copied to *out; 0 if none. */
int vm_find_exec_map(uint64_t addr, uint64_t len, struct exec_map *out);
/* For the patcher: takes vm.lock if [lo, hi) still lies in one executable mapping of manifest
 * entry `index` with file offset `off` at lo (1, *prot its protection), else 0 and no lock. Between
 * the two calls nobody can unmap, replace or re-protect that code. */
int vm_code_lock(uint64_t lo, uint64_t hi, long index, uint64_t off, int *prot);
void vm_code_unlock(void);

struct spinlock;
/* vm.lock (fork.c takes it around a host fork). */
struct spinlock *vm_lock(void);

#endif
