/* libos/fs/mount.c — the mount table, built once from the config at start and read-only after.
 * The mount of a path is the one with the longest target that is a prefix at a '/' boundary. */
#include "fs.h"
#include "../config.h"
#include "../errno.h"
#include "../log.h"
#include "../../lib/format.h"
#include "../../lib/mem.h"

static struct mount mounts[CELLA_MAX_MOUNTS];
static int nmounts;


static void host_path_of_fd(int fd, char *out, size_t size)
{
	char link[64];
	fmt_snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	long n = pal_readlinkat(-100, link, out, size - 1);
	out[n > 0 ? n : 0] = 0;
}

long fs_init(int image_fd, int tmp_fd)
{
	for (uint32_t i = 0; i < cfg->nmounts; i++) {
		const struct cella_mount_cfg *mc = &cfg->mounts[i];
		struct mount *m = &mounts[nmounts];
		m->host_root_fd = -1;
		m->dev = 0x10 + i;
		switch (mc->type) {
		case CELLA_MOUNT_IMAGE:
			m->ops = &image_mount_ops;
			m->host_root_fd = image_fd;
			break;
		case CELLA_MOUNT_TMPFS:
			m->ops = &tmpfs_mount_ops;
			m->host_root_fd = tmp_fd;
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
		if (m->host_root_fd >= 0)
			host_path_of_fd(m->host_root_fd, m->host_root_path, sizeof(m->host_root_path));
		m->target_len = strlcpy(m->target, config_str(mc->target_off), sizeof(m->target));
		nmounts++;
	}
	if (!mount_of("/") || strcmp(mount_of("/")->target, "/") != 0) {
		log_error("config: no mount at /");
		return -EINVAL;
	}
	return 0;
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
		size_t n = strlen(m->host_root_path);
		if (m->host_root_fd < 0 || !n || strncmp(host, m->host_root_path, n) != 0 ||
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
