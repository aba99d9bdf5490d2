/* cli/cli.h — internal API of the hosted `cella` command, one section per .c file.
 * Functions return 0 or a negative errno; user-facing errors are written into an `err`
 * buffer (one line, naming the file, the key and the fix) and printed once by the caller. */
#ifndef CELLA_CLI_H
#define CELLA_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "../include/cella/manifest.h"

#define CELLA_CLI_VERSION "0.1.0"
#define CLI_ERR_MAX 1024

/* ---- util.c: messages, allocation, growable buffers and string vectors ---- */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_fix_std_fds(void);	/* fds 0-2 opened on /dev/null if closed */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void errf(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct buf {
	uint8_t *data;
	size_t len, cap;
};
void buf_append(struct buf *b, const void *data, size_t n);
size_t buf_append_str(struct buf *b, const char *s);	/* with NUL; returns its offset */
void buf_free(struct buf *b);

struct strvec {
	char **v;
	size_t n, cap;
};
void strvec_push(struct strvec *sv, const char *s);	/* copies s */
bool strvec_has(const struct strvec *sv, const char *s);
void strvec_free(struct strvec *sv);

void format_bytes(uint64_t n, char out[32]);	/* "2.1 MiB" */

/* ---- strset.c: a set of strings ---- */
struct strset {
	char **slot;
	size_t n, cap;	/* cap is a power of two */
};
bool strset_add(struct strset *set, const char *s);	/* false if it was there already */
void strset_free(struct strset *set);

/* ---- path.c: lexical path operations (no file-system access) ---- */
char *path_join(const char *dir, const char *name);
char *path_normalize(const char *abs);	/* collapse //, ., ..; NULL unless absolute */
bool path_is_canonical(const char *p);	/* absolute, no //, ., .., no trailing / */
char *path_dirname(const char *p);	/* "/a/b" -> "/a", "/a" -> "/" */
bool path_is_under(const char *path, const char *dir);	/* dir itself or below it */

/* ---- fileio.c: whole-file reads and writes, directories ---- */
int read_whole_file(const char *path, uint8_t **data, size_t *len);
int read_whole_fd(int fd, uint8_t **data, size_t *len);	/* from offset 0; offset kept */
int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);
int mkdir_p(const char *path, mode_t mode);
int remove_tree(const char *path);	/* rm -rf that never follows symlinks */
bool file_equals(const char *path, const void *data, size_t len);

/* ---- sha.c: SHA-256 (BearSSL) ---- */
void sha256_mem(const void *data, size_t len, uint8_t out[32]);
/* Hashes an open fd from its start; `progress(bytes)` may be NULL. Returns bytes or -errno. */
int64_t sha256_fd(int fd, uint8_t out[32], void (*progress)(uint64_t bytes));

/* ---- size.c: sizes such as 4096, "64K", "8MiB", "4G" ---- */
int size_parse(const char *s, uint64_t *out);	/* -EINVAL bad syntax, -ERANGE overflow */
void size_format(uint64_t n, char out[32]);	/* exact, largest unit: "16M", "128T", "1536K" */

/* ---- suggest.c: did-you-mean for unknown keys ---- */
size_t edit_distance(const char *a, const char *b);	/* Damerau (optimal string alignment) */
const char *suggest_word(const char *word, const char *const *cands, size_t n);

/* ---- config.c / config_defaults.c: cella.json → struct cli_config ---- */
#define CLI_MAX_MOUNTS 16
struct cli_mount {
	uint32_t type;		/* enum cella_mount_type */
	char *target;
	uint64_t size;
};
struct cli_config {
	uint64_t user_space_size, kernel_heap_size;
	uint32_t max_num_of_threads, max_open_files;
	uint64_t default_stack_size, default_heap_size;
	uint32_t uid, gid;
	char hostname[65];
	bool aslr;
	struct strvec entry_points;
	struct strvec env_default;	/* "NAME=value" */
	struct strvec env_untrusted;
	struct cli_mount mounts[CLI_MAX_MOUNTS];
	size_t nmounts;
};
struct json_t;
struct json_t *config_default_json(void);	/* the document `cella init` writes */
/* Validates a parsed document; missing keys take their defaults. `file` names it in errors. */
int config_from_json(struct json_t *root, const char *file, struct cli_config *cfg, char *err);
int config_parse(const char *file, const void *data, size_t len, struct cli_config *cfg,
		 char *err);
int config_load(const char *path, struct cli_config *cfg, char *err);
void config_free(struct cli_config *cfg);

/* ---- blob.c: struct cli_config → build/config.bin bytes (include/cella/config.h) ---- */
void blob_build(const struct cli_config *cfg, const uint8_t manifest_sha[32], struct buf *out);
int blob_check(const void *blob, size_t len);	/* magic, version, offsets in range */
const char *blob_str(const void *blob, uint32_t off);

/* ---- scan.c: walk image/ into a sorted entry list (no hashing) ---- */
struct mf_entry {
	char *path;		/* relative to image/, "" for the root */
	char *link;		/* symlink target or NULL */
	uint32_t mode;
	uint64_t size;
	int64_t mtime_ns, ctime_ns;
	uint64_t ino;
	uint64_t dev, nlink, blocks;	/* shown to the app by stat */
	uint8_t sha[32];
	struct cella_manifest_site *sites;	/* x86-64 ELF only: sorted by offset */
	uint32_t nsites;
};
struct mf_list {
	struct mf_entry *v;
	size_t n, cap;
};
int scan_image(int imagefd, const char *image_name, struct mf_list *out, char *err);
void mf_sort(struct mf_list *l);
struct mf_entry *mf_find(const struct mf_list *l, const char *path);	/* l sorted */
void mf_free(struct mf_list *l);
bool mf_same_stat(const struct mf_entry *a, const struct mf_entry *b);

/* ---- manifest.c: sorted entry list → build/manifest.bin bytes (include/cella/manifest.h) ---- */
void manifest_serialize(const struct mf_list *l, struct buf *out);
int manifest_check(const void *data, size_t len);

/* ---- cache.c: build/cache.bin, the hash cache and the stat of the last build's inputs ---- */
struct build_cache {
	struct mf_entry config;	/* cella.json: stat fields and sha */
	struct mf_list files;	/* image entries as last built, sorted */
};
int cache_load(const char *path, struct build_cache *c);	/* -ENOENT, -EINVAL if corrupt */
int cache_save(const char *path, const struct build_cache *c);
int cache_load_as(const char *path, const char *magic, struct build_cache *c);	/* magic: 8 bytes */
int cache_save_as(const char *path, const char *magic, const struct build_cache *c);
void cache_free(struct build_cache *c);
void stat_to_entry(const struct stat *st, struct mf_entry *e);

/* ---- stamp.c: build/stamp.bin, what `cella run` compares (a build_cache of paths) ---- */
int stamp_save(const struct mf_entry *config, const struct mf_list *image);	/* -errno */
int stamp_load(struct build_cache *s);	/* -ENOENT, -EINVAL if damaged */

/* ---- stale.c: have cella.json, build/ or the image/ entries changed since the build? ---- */
/* The build outputs and image/ as `cella run` opened them: what is checked is what the runtime
 * gets. */
struct run_fds {
	int config;	/* build/config.bin */
	int manifest;	/* build/manifest.bin */
	int image;	/* image/, O_PATH | O_DIRECTORY */
};
/* 0 up to date; 1 outdated with `why` set to the user message. */
int stale_check(const char *cfgpath, const void *blob, size_t bloblen,
		const struct build_cache *stamp, const struct run_fds *fds, char *why);
/* stale_slow.c (cella-cli) or front.c's stand-ins (cella): the checks that read content. */
int stale_config_content(const char *cfgpath, const void *blob, size_t bloblen,
			 const struct mf_entry *built, char *why);
void stale_explain(const char *dir, char *why);	/* sets why: what changed in image/dir */

/* ---- run_check.c: everything `cella run` checks before the runtime starts ---- */
/* Opens what the runtime gets into fds and checks the instance is built, up to date, and that
 * PATH is allowed by entry_points, present and executable. 0 with fds open and *aslr set, or
 * -errno with why set to the user message and nothing left open. */
int run_prepare(const char *path, struct run_fds *fds, int *aslr, char *why);
char *cli_sibling_path(const char *name);	/* name in the directory of /proc/self/exe */
char *run_runtime_path(void);	/* $CELLA_RUNTIME, or cella-runtime beside this program */

/* ---- progress.c: a progress bar on stderr, shown only after 1 s and only on a tty ---- */
void progress_start(uint64_t total_bytes);
void progress_add(uint64_t bytes);
void progress_end(void);

/* ---- elf.c: the parts of an ELF file that decide its library closure ---- */
enum elf_kind { ELF_NOT = 0, ELF_OTHER, ELF_X86_64 };
struct elf_info {
	enum elf_kind kind;
	char *interp;
	struct strvec needed;
	struct strvec runpath, rpath;	/* split on ':' */
};
int elf_kind_fd(int fd);	/* enum elf_kind or -errno */
int elf_read(const char *path, struct elf_info *info);	/* -ENOEXEC if malformed */
void elf_free(struct elf_info *info);

/* ---- fnranges.c: function ranges of an x86-64 ELF file (.eh_frame FDEs, sized STT_FUNC) ---- */
struct fn_range {
	uint64_t start, len;	/* vaddrs while parsing; file offsets once fnr_from_elf returns */
};
struct fn_ranges {
	struct fn_range *v;
	size_t n, cap;
};
/* Appends each FDE's [pc_begin, +pc_range) of the .eh_frame bytes d[0..len), whose first byte
 * is at vaddr `base`. Stops at the zero terminator; -ENOEXEC on a malformed record, keeping
 * the ranges read before it. */
int ehf_parse(const uint8_t *d, size_t len, uint64_t base, struct fn_ranges *out);
/* Every range of the mapped ELF file d[0..size), as file offsets in executable PT_LOAD
 * segments, sorted, exact duplicates removed. *eh_err is .eh_frame's ehf_parse result. */
int fnr_from_elf(const uint8_t *d, size_t size, struct fn_ranges *out, int *eh_err);
void fnr_free(struct fn_ranges *r);

/* ---- padding.c: unreachable inter-function padding, slots for short sites' jumps ---- */
struct pad_area {
	uint64_t start, len;	/* file offsets */
	uint32_t used;		/* slots handed out from the start (sites come in offset order) */
};
struct pad_map {
	struct pad_area *v;
	size_t n, cap;
};
/* True if b[0..n) is nothing but int3, nop and multi-byte-nop instructions, back to back. */
bool pad_is_fill(const uint8_t *b, size_t n);
/* The padding areas of d[0..size): each gap of at least 5 bytes between the sorted ranges r[n]
 * (covered by none of them) that directly follows ranges that all end in an unconditional jump
 * or ret (ends_jump[i]: nothing falls through into it), is all fill, and holds none of the
 * sorted direct branch targets. */
void pad_find_areas(const uint8_t *d, size_t size, const struct fn_range *r, const bool *ends_jump,
		    size_t n, const uint64_t *targets, size_t ntargets, struct pad_map *out);
/* Whether any of the sorted offsets t[nt] lies in [lo, hi). */
bool pad_has_target(const uint64_t *t, size_t nt, uint64_t lo, uint64_t hi);
/* Adds an area proven elsewhere (sites.c: fill after a ret or jmp inside a function). */
void pad_add(struct pad_map *m, uint64_t start, uint64_t len);
/* Sorts the areas by start, dropping one that overlaps an earlier one; pad_claim needs this. */
void pad_sort(struct pad_map *m);
/* Claims a free 5-byte slot a `jmp rel8` ending at `from` reaches; false if none. */
bool pad_claim(struct pad_map *m, uint64_t from, uint64_t *slot);
void pad_free(struct pad_map *m);

/* ---- sites.c: patchable syscall sites (see manifest.h), proven with Capstone ---- */
struct sites_stats {
	size_t ranges, stopped, dropped;	/* ranges walked, cut by a decode failure, conflicts */
	size_t shorts, nopad;	/* SHORT_PAD sites recorded; left out for want of a slot */
};
/* Decodes every range of d[0..size) and returns the proven sites in *out (malloc'd, sorted by
 * offset). `name` and `verbose` are for the per-site log of dropped conflicts. */
int sites_find(const uint8_t *d, size_t size, const struct fn_ranges *r, const char *name,
	       bool verbose, struct cella_manifest_site **out, uint32_t *n,
	       struct sites_stats *st);
/* The same for an open x86-64 ELF file: maps it, finds its ranges, decodes them. */
int sites_analyse_fd(int fd, const char *name, bool verbose, struct cella_manifest_site **out,
		     uint32_t *n);

/* ---- ldpaths.c: the host loader's search directories ---- */
int ldpaths_load(const char *conf, struct strvec *dirs);	/* conf file + includes + defaults */

/* ---- imgfs.c: writes inside an image directory that never escape it ---- */
int img_open(int rootfd, const char *rel, int flags);	/* -errno */
int img_mkdirs(int rootfd, const char *rel, mode_t mode);	/* every component, in-root */
int img_open_parent(int rootfd, const char *rel, const char **leaf);	/* creates parents */
int img_copy_file(int rootfd, const char *rel, const char *host, const struct stat *st,
		  bool *copied);
int img_symlink(int rootfd, const char *rel, const char *target);

/* ---- commands ---- */
int cmd_init(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_run(int argc, char **argv);
extern const char cmd_init_help[], cmd_add_help[], cmd_build_help[], cmd_run_help[];

/* ---- launch.c: start cella-runtime as launch.h says and wait for it ---- */
/* Takes fds (closes them); returns cella's exit status. */
/* aslr 0: the runtime runs with ADDR_NO_RANDOMIZE, so the host lays it out the same every time. */
int launch_runtime(const char *runtime, struct run_fds *fds, const char *app_path,
		   char **app_argv, int aslr);

#endif
