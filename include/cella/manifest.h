/* include/cella/manifest.h — the image manifest `cella build` writes to build/manifest.bin:
 * every file, directory and symlink of image/ with mode, size and SHA-256. Entries are sorted by
 * path, bytewise (memcmp order), so lookups are a binary search and a directory's descendants are
 * one contiguous run ("dir/" prefix). Paths are relative to the image root, no leading or
 * trailing '/'; the root itself is the entry with the empty path, always entries[0]. */
#ifndef CELLA_MANIFEST_H
#define CELLA_MANIFEST_H

#include <stdint.h>

#define CELLA_MANIFEST_MAGIC   0x464e4d414c4c4543ULL /* "CELLAMNF" as little-endian bytes */
#define CELLA_MANIFEST_VERSION 4u	/* 4: each entry's stat fields (stat answered from the manifest) */

struct cella_manifest_header {
	uint64_t magic;		/* CELLA_MANIFEST_MAGIC */
	uint32_t version;	/* CELLA_MANIFEST_VERSION */
	uint32_t count;		/* number of entries */
	uint64_t entries_off;	/* offset of struct cella_manifest_entry[count] */
	uint64_t strings_off;	/* offset of the string area */
	uint64_t strings_size;
	uint64_t total_size;	/* whole file */
	uint64_t sites_off;	/* offset of struct cella_manifest_site[nsites] */
	uint64_t nsites;
};

struct cella_manifest_entry {
	uint32_t path_off;	/* from strings_off; NUL-terminated */
	uint32_t path_len;	/* without the NUL */
	uint32_t link_off;	/* symlink target, NUL-terminated; 0 and link_len 0 if not a symlink */
	uint32_t link_len;
	uint32_t mode;		/* st_mode: type bits and permissions */
	uint32_t sites_count;	/* patchable syscall sites of this file (x86-64 ELF only) */
	uint64_t size;		/* regular files: bytes hashed; directories: st_size; symlinks: target length */
	uint8_t sha256[32];	/* regular files only; zero otherwise */
	uint64_t sites_first;	/* index of its first site in the sites array */
	/* The entry's lstat at build time: what stat shows the app (owner 0:0, the image is
	 * root's; atime is mtime, since reading the image must not change it), so a stat of the
	 * image needs no host call. */
	uint64_t dev, ino;
	uint64_t nlink, blocks;	/* blocks: 512-byte units */
	int64_t mtime_ns, ctime_ns;
};

/* A syscall site `cella build` proved patchable: a real x86-64 decoder walked the function that
 * holds it (ranges from .eh_frame and the symbol tables) and found, at consecutive instruction
 * boundaries, one of these shapes:
 *  MOV_EAX_SYSCALL      `mov $nr,%eax` (b8 imm32, len 5) directly before `syscall` (0f 05);
 *  MOV_EAX_GAP_SYSCALL  the same mov, then `gap` bytes of instructions that are position-
 *                       independent, do not branch, and neither read nor write rax, rcx, r11, rsp
 *                       or rip (the trampoline replays them), then `syscall`;
 *  SHORT_PAD_SYSCALL    a 2- or 3-byte instruction that only sets eax/rax — `xor %eax,%eax`
 *                       (nr 0) or a move from a register (nr CELLA_SITE_NR_REG: known at run
 *                       time only) — directly before `syscall`. Too short for a jmp rel32, it
 *                       becomes `jmp rel8` to a 5-byte slot at offset + 2 + pad, inside padding
 *                       between functions that the build proved unreachable (no function range
 *                       covers it, only nop/int3 fill, no fall-through into it, no branch to it);
 *                       the slot gets the `jmp rel32` to the trampoline. No two sites share a slot.
 * Sites of one file are sorted by offset; they are valid only for the content whose SHA-256 the
 * entry records, which the runtime checks before the file can be mapped. */
#define CELLA_SITE_MOV_EAX_SYSCALL 1u
#define CELLA_SITE_MOV_EAX_GAP_SYSCALL 2u
#define CELLA_SITE_SHORT_PAD_SYSCALL 3u
#define CELLA_SITE_MAX_GAP 14u
#define CELLA_SITE_NR_REG 0xffffffffu

struct cella_manifest_site {
	uint64_t offset;	/* file offset of the site's first instruction (the mov, the short one) */
	uint32_t nr;		/* the number it sets, or CELLA_SITE_NR_REG */
	uint8_t kind;		/* CELLA_SITE_* */
	uint8_t len;		/* bytes of the first instruction: 5 for the movs, 2 or 3 for SHORT_PAD */
	uint8_t gap;		/* bytes between it and the syscall: 0 except for MOV_EAX_GAP */
	int8_t pad;		/* SHORT_PAD: the slot is at offset + 2 + pad (the jmp rel8's target) */
};

#endif
