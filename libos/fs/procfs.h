/* libos/fs/procfs.h — generators of /proc file contents (procfs_files.c). Each appends the whole
 * file to a fmt_buf; the caller retries with a larger buffer if it overflowed. */
#ifndef LIBOS_PROCFS_H
#define LIBOS_PROCFS_H

#include "../../lib/format.h"

typedef void (*generator_fn)(struct fmt_buf *b);

void procfs_gen_cpuinfo(struct fmt_buf *b);
void procfs_gen_meminfo(struct fmt_buf *b);
void procfs_gen_uptime(struct fmt_buf *b);
void procfs_gen_version(struct fmt_buf *b);
void procfs_gen_filesystems(struct fmt_buf *b);
void procfs_gen_cmdline(struct fmt_buf *b);
void procfs_gen_environ(struct fmt_buf *b);
void procfs_gen_status(struct fmt_buf *b);
void procfs_gen_stat(struct fmt_buf *b);
void procfs_gen_mounts(struct fmt_buf *b);

#endif
