/* libos/shared/owners.h — the owner table: what tmpfs cannot keep in its host inodes (the host
 * process may be unprivileged): owner, group, the set-ID and sticky bits, a ctime, per host inode. */
#ifndef LIBOS_SHARED_OWNERS_H
#define LIBOS_SHARED_OWNERS_H

#include <stdint.h>

/* One node's attributes as the table keeps them. */
struct owner {
	uint32_t uid, gid;
	uint32_t mode;		/* permission, set-ID and sticky bits (07777) */
	int64_t ctime_ns;	/* last chown/chmod here; 0: the host's ctime is the node's */
};

/* The entry of host inode ino: 1 and *out filled, or 0 if there is none. Takes no lock. */
int owner_get(uint64_t ino, struct owner *out);
/* Writes the entry of ino for a node just created, replacing whatever an earlier inode of that
 * number left. 0, or -ENOSPC when the table is full. */
long owner_set(uint64_t ino, const struct owner *o);
/* The same for a node whose attributes change (chown, chmod). */
long owner_change(uint64_t ino, const struct owner *o);
/* The node lost its last name: its entry may be reused (it still answers until then, for the
 * descriptors that keep the inode open). */
void owner_release(uint64_t ino);

#endif
