/* include/cella/config.h — the flat, versioned config blob that `cella build` writes to
 * build/config.bin and the runtime reads without parsing. Layout is fixed: the header struct,
 * then a string area; every string is NUL-terminated and addressed by an offset from the blob start. */
#ifndef CELLA_CONFIG_H
#define CELLA_CONFIG_H

#include <stdint.h>

#define CELLA_CONFIG_MAGIC   0x474643414c4c4543ULL /* "CELLACFG" as little-endian bytes */
#define CELLA_CONFIG_VERSION 1u

#define CELLA_MAX_MOUNTS     16
#define CELLA_HOSTNAME_MAX   64

enum cella_mount_type {
	CELLA_MOUNT_IMAGE  = 1,	/* the image tree, read-only, hashes checked */
	CELLA_MOUNT_TMPFS  = 2,	/* empty writable tree, gone at exit */
	CELLA_MOUNT_DEVFS  = 3,	/* null, zero, urandom, tty */
	CELLA_MOUNT_PROCFS = 4,	/* /proc as the LibOS shows it */
};

/* A list of NUL-terminated strings stored back to back at `off` (bytes = total length). */
struct cella_strlist {
	uint32_t off;
	uint32_t count;
	uint32_t bytes;
	uint32_t reserved;
};

struct cella_mount_cfg {
	uint32_t type;		/* enum cella_mount_type */
	uint32_t target_off;	/* absolute path inside the instance, canonical ("/", "/tmp") */
	uint64_t size;		/* tmpfs size limit in bytes; 0 for others */
};

struct cella_config {
	uint64_t magic;			/* CELLA_CONFIG_MAGIC */
	uint32_t version;		/* CELLA_CONFIG_VERSION */
	uint32_t total_size;		/* whole blob, header + strings */

	/* resource_limits */
	uint64_t user_space_size;
	uint64_t kernel_heap_size;
	uint32_t max_num_of_threads;
	uint32_t max_open_files;	/* RLIMIT_NOFILE soft and hard */

	/* process */
	uint64_t default_stack_size;
	uint64_t default_heap_size;

	/* metadata */
	uint32_t uid, gid;
	char hostname[CELLA_HOSTNAME_MAX + 1];
	uint8_t pad0[7];

	/* security */
	uint32_t aslr;			/* 1: randomise mmap/stack/brk bases */
	uint32_t reserved0;

	struct cella_strlist entry_points;	/* absolute paths; a dir admits everything below it */
	struct cella_strlist env_default;	/* "NAME=value" */
	struct cella_strlist env_untrusted;	/* "NAME": host values may override or add */

	uint32_t nmounts;
	uint32_t reserved1;
	struct cella_mount_cfg mounts[CELLA_MAX_MOUNTS];

	uint8_t manifest_sha256[32];	/* SHA-256 of build/manifest.bin written with this blob */
	/* string area follows */
};

#endif
