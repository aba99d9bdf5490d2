/* libos/shared/owners.c — the owner table in the shared region: per host inode of /tmp, the owner,
 * group, mode bits and ctime the LibOS keeps. Invariant: at most one entry per ino; every create
 * rewrites its inode's entry, so what an earlier inode of the same number left never shows. */
#include "owners.h"
#include "region.h"
#include "../errno.h"

static struct sh_owner *bucket_of(uint64_t ino)
{
	/* Fibonacci hashing: host inode numbers are often consecutive. */
	uint64_t h = (ino * 0x9e3779b97f4a7c15ull) >> (64 - 11);
	_Static_assert(SH_OWNER_BUCKETS == 1 << 11, "the shift above is log2(SH_OWNER_BUCKETS)");
	return &shr->owners[h * SH_OWNER_WAYS];
}

int owner_get(uint64_t ino, struct owner *out)
{
	struct sh_owner *b = bucket_of(ino);
	for (int i = 0; i < SH_OWNER_WAYS; i++) {
		struct sh_owner *e = &b[i];
		if (__atomic_load_n(&e->ino, __ATOMIC_RELAXED) != ino)
			continue;
		for (;;) {
			uint32_t s = __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE);
			if (s & 1) {
				__builtin_ia32_pause();
				continue;
			}
			uint64_t got = __atomic_load_n(&e->ino, __ATOMIC_RELAXED);
			out->uid = __atomic_load_n(&e->uid, __ATOMIC_RELAXED);
			out->gid = __atomic_load_n(&e->gid, __ATOMIC_RELAXED);
			out->mode = __atomic_load_n(&e->mode, __ATOMIC_RELAXED) & 07777;
			out->ctime_ns = __atomic_load_n(&e->ctime_ns, __ATOMIC_RELAXED);
			__atomic_thread_fence(__ATOMIC_ACQUIRE);
			if (__atomic_load_n(&e->seq, __ATOMIC_RELAXED) != s)
				continue;
			if (got != ino)
				break;	/* rewritten for another inode meanwhile */
			return 1;
		}
	}
	return 0;
}

/* Writes e under the region lock, readers seeing either the old or the new contents. */
static void entry_write(struct sh_owner *e, uint64_t ino, const struct owner *o, uint32_t flags)
{
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&e->ino, ino, __ATOMIC_RELAXED);
	__atomic_store_n(&e->uid, o->uid, __ATOMIC_RELAXED);
	__atomic_store_n(&e->gid, o->gid, __ATOMIC_RELAXED);
	__atomic_store_n(&e->mode, (o->mode & 07777) | flags, __ATOMIC_RELAXED);
	__atomic_store_n(&e->ctime_ns, o->ctime_ns, __ATOMIC_RELAXED);
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELEASE);
}

/* A create clears the released mark; a change (chown, chmod) keeps it, so an unlinked node's
 * entry changed through a descriptor may still be reused. */
static long write_entry_of(uint64_t ino, const struct owner *o, int create)
{
	struct sh_owner *b = bucket_of(ino), *slot = NULL, *reusable = NULL;
	sh_lock();
	for (int i = 0; i < SH_OWNER_WAYS && !slot; i++) {
		if (b[i].ino == ino)
			slot = &b[i];
		else if (!b[i].ino && !reusable)
			reusable = &b[i];
	}
	for (int i = 0; i < SH_OWNER_WAYS && !slot && !reusable; i++)
		if (b[i].mode & SH_OWNER_RELEASED)
			reusable = &b[i];
	if (!slot)
		slot = reusable;
	if (slot)
		entry_write(slot, ino, o, create || slot->ino != ino ? 0 : slot->mode & SH_OWNER_RELEASED);
	sh_unlock();
	return slot ? 0 : -ENOSPC;
}

long owner_set(uint64_t ino, const struct owner *o)
{
	return write_entry_of(ino, o, 1);
}

long owner_change(uint64_t ino, const struct owner *o)
{
	return write_entry_of(ino, o, 0);
}

void owner_release(uint64_t ino)
{
	struct sh_owner *b = bucket_of(ino);
	sh_lock();
	for (int i = 0; i < SH_OWNER_WAYS; i++)
		if (b[i].ino == ino)
			__atomic_or_fetch(&b[i].mode, SH_OWNER_RELEASED, __ATOMIC_RELAXED);
	sh_unlock();
}
