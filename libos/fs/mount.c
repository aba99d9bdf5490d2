/* libos/fs/mount.c — the mount table, built once from the config at start and read-only after.
 * The mount of a path is the one with the longest target that is a prefix at a '/' boundary. */
#include "fs.h"
#include "../config.h"
#include "../errno.h"
#include "../log.h"
#include "../../lib/alloc.h"
#include "../../lib/format.h"
#include "../../lib/mem.h"
#include "../../lib/spinlock.h"
#include <linux/fcntl.h>

static struct mount mounts[CELLA_MAX_MOUNTS];
static int nmounts;


static void host_path_of_fd(int fd, char *out, size_t size)
{
	char link[64];
	fmt_snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	long n = pal_readlinkat(-100, link, out, size - 1);
	out[n > 0 ? n : 0] = 0;
}

long fs_init(int image_fd, int run_fd, const char *tmp_name)
{
	for (uint32_t i = 0; i < cfg->nmounts; i++) {
		const struct cella_mount_cfg *mc = &cfg->mounts[i];
		struct mount *m = &mounts[nmounts];
		m->host_root_fd = m->host_parent_fd = -1;
		m->dev = 0x10 + i;
		switch (mc->type) {
		case CELLA_MOUNT_IMAGE:
			m->ops = &image_mount_ops;
			m->host_root_fd = image_fd;
			break;
		case CELLA_MOUNT_TMPFS:
			m->ops = &tmpfs_mount_ops;
			m->host_parent_fd = run_fd;
			strlcpy(m->host_name, tmp_name, sizeof(m->host_name));
			break;
		case CELLA_MOUNT_DEVFS:
			m->ops = &devfs_mount_ops;
			break;
		case CELLA_MOUNT_PROCFS:
			m->ops = &procfs_mount_ops;
			break;
		default:
			log_error("config: mount %s has unknown type %u", config_str(mc->target_off), mc->type);
			return -EINVAL;
		}
		/* The host path of the mount's directory, known before /tmp's is made: a file
		 * inherited across execve may already lie in it. */
		int known = m->host_root_fd >= 0 ? m->host_root_fd : m->host_parent_fd;
		if (known >= 0) {
			m->host_root_path = heap_alloc(LIBOS_PATH_MAX);
			if (!m->host_root_path)
				return -ENOMEM;
			host_path_of_fd(known, m->host_root_path, LIBOS_PATH_MAX);
			size_t n = strlen(m->host_root_path);
			if (m->host_root_fd < 0 && n)
				fmt_snprintf(m->host_root_path + n, LIBOS_PATH_MAX - n, "/%s", m->host_name);
		}
		m->target = config_str(mc->target_off);
		m->target_len = strlen(m->target);
		nmounts++;
	}
	if (!mount_of("/") || strcmp(mount_of("/")->target, "/") != 0) {
		log_error("config: no mount at /");
		return -EINVAL;
	}
	return 0;
}

/* /tmp's host directory is made at its first use, not by the launcher: most runs never touch
 * /tmp, and making then removing a directory on every run cost ~0.3 ms of start-up on an ext4
 * host (a block allocated, then freed and discarded). Every process of the instance makes or
 * opens the same run/<name> (every tmpfs mount is that one directory). The fd is the process's
 * (proc.tmp_root_fd): a fork child inherits it, a vfork child starts from a copy of its parent's
 * and keeps what it opens to itself, since it shares the parent's memory but not its host fds. */
static struct spinlock made_lock;

long mount_host_root(struct mount *m)
{
	if (m->host_parent_fd < 0)
		return m->host_root_fd;
	long fd = __atomic_load_n(&proc.tmp_root_fd, __ATOMIC_ACQUIRE);
	if (fd >= 0)
		return fd;
	spin_lock(&made_lock);
	fd = proc.tmp_root_fd;
	if (fd < 0) {
		long r = pal_mkdirat(m->host_parent_fd, m->host_name, 0700);
		fd = r < 0 && r != -EEXIST ? r
		     : host_open_beneath(m->host_parent_fd, m->host_name, O_PATH | O_DIRECTORY, 0);
		if (fd >= 0)
			__atomic_store_n(&proc.tmp_root_fd, (int)fd, __ATOMIC_RELEASE);
	}
	spin_unlock(&made_lock);
	return fd;
}

struct mount *mount_of(const char *canon)
{
	struct mount *best = NULL;
	for (int i = 0; i < nmounts; i++) {
		struct mount *m = &mounts[i];
		int match = m->target_len == 1 ||
			    (strncmp(canon, m->target, m->target_len) == 0 &&
			     (canon[m->target_len] == 0 || canon[m->target_len] == '/'));
		if (match && (!best || m->target_len > best->target_len))
			best = m;
	}
	return best;
}

const char *mount_rel(struct mount *m, const char *canon)
{
	const char *r = canon + (m->target_len == 1 ? 0 : m->target_len);
	return *r == '/' ? r + 1 : r;
}

const char *fs_host_to_instance(const char *host, char *out, size_t size)
{
	for (int i = 0; i < nmounts; i++) {
		struct mount *m = &mounts[i];
		size_t n = m->host_root_path ? strlen(m->host_root_path) : 0;
		if (!n || strncmp(host, m->host_root_path, n) != 0 ||
		    (host[n] != 0 && host[n] != '/'))
			continue;
		const char *rest = host + n;
		if (m->target_len == 1)
			fmt_snprintf(out, size, "%s", *rest ? rest : "/");
		else
			fmt_snprintf(out, size, "%s%s", m->target, rest);
		return out;
	}
	return NULL;
}
