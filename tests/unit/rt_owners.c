/* tests/unit/rt_owners.c — the owner table (libos/shared/owners.c) on the host: entries written,
 * read back and rewritten for a reused inode number, a full bucket (ENOSPC) and the released
 * entries a create may reuse, checked against a model of which inodes hold entries. */
#include "unit.h"
#include <errno.h>

#include "../../libos/shared/owners.c"

struct sh_region *shr;
static int locked;
void sh_lock(void) { locked++; }
void sh_unlock(void) { locked--; }

/* Inode numbers that land in the same bucket as `ino`: the next n found by search. */
static int same_bucket(uint64_t ino, uint64_t *out, int n)
{
	int k = 0;
	for (uint64_t i = ino + 1; k < n; i++)
		if (bucket_of(i) == bucket_of(ino))
			out[k++] = i;
	return k;
}

/* The table's entry of ino, or NULL. */
static struct sh_owner *entry_of(uint64_t ino)
{
	struct sh_owner *b = bucket_of(ino);
	for (int i = 0; i < SH_OWNER_WAYS; i++)
		if (b[i].ino == ino)
			return &b[i];
	return NULL;
}

int main(void)
{
	shr = calloc(1, sizeof(*shr));
	struct owner o = { .uid = 1000, .gid = 100, .mode = 04755 }, got;
	CHECK("a missing inode has no entry", !owner_get(42, &got));
	CHECK("an entry is written", owner_set(42, &o) == 0);
	CHECK("and read back", owner_get(42, &got) && got.uid == 1000 && got.gid == 100 && got.mode == 04755);
	CHECK("the lock is released", locked == 0);

	struct owner o2 = { .uid = 7, .gid = 8, .mode = 0600, .ctime_ns = 123 };
	CHECK("a change rewrites the entry", owner_change(42, &o2) == 0);
	CHECK("one entry per inode", owner_get(42, &got) && got.uid == 7 && got.ctime_ns == 123);
	int n42 = 0;
	struct sh_owner *b = bucket_of(42);
	for (int i = 0; i < SH_OWNER_WAYS; i++)
		n42 += b[i].ino == 42;
	CHECK("the bucket holds inode 42 once", n42 == 1);

	/* Fill 42's bucket, then one more: ENOSPC. */
	uint64_t peers[SH_OWNER_WAYS];
	same_bucket(42, peers, SH_OWNER_WAYS);
	for (int i = 0; i < SH_OWNER_WAYS - 1; i++)
		owner_set(peers[i], &o);
	CHECK("a full bucket refuses a new inode", owner_set(peers[SH_OWNER_WAYS - 1], &o) == -ENOSPC);
	CHECK("an inode already there is still rewritten", owner_set(42, &o) == 0);

	/* A released entry still answers (an open, unlinked file), and a create may reuse it. */
	owner_release(peers[0]);
	CHECK("a released entry still answers", owner_get(peers[0], &got) && got.uid == 1000);
	CHECK("a change keeps the release mark", owner_change(peers[0], &o2) == 0 &&
	      (entry_of(peers[0])->mode & SH_OWNER_RELEASED));
	CHECK("a create reuses the released entry", owner_set(peers[SH_OWNER_WAYS - 1], &o) == 0);
	CHECK("the released inode is gone", !owner_get(peers[0], &got));
	CHECK("the new one answers", owner_get(peers[SH_OWNER_WAYS - 1], &got) && got.mode == 04755);

	/* A reused inode number: the create's entry replaces whatever the old inode left. */
	owner_release(42);
	struct owner fresh = { .uid = 0, .gid = 0, .mode = 0644 };
	CHECK("a create over a released entry of the same number", owner_set(42, &fresh) == 0);
	CHECK("shows the new owner, not the old", owner_get(42, &got) && got.uid == 0 && got.mode == 0644);
	CHECK("and clears the release mark", !(entry_of(42)->mode & SH_OWNER_RELEASED));
	int seq_even = 1;
	for (int i = 0; i < SH_OWNER_BUCKETS * SH_OWNER_WAYS; i++)
		seq_even &= (shr->owners[i].seq & 1) == 0;
	CHECK("no entry is left mid-write (every seq even)", seq_even);
	return finish();
}
