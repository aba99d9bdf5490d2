/* libos/vm/execmap.c — which image file each executable mapping of the app comes from, so the
 * fast path can turn a code address into (file, offset) and look it up in the build's site table;
 * a new executable mapping has its proven sites patched right away.
 * Entries are removed when anything is unmapped or mapped over them, so a stale entry can never
 * describe memory that now holds something else. One spinlock guards the table. */
#include "vm.h"
#include "../../lib/spinlock.h"
#include "../entry/patch.h"

#define MAX_EXEC_MAPS 512

static struct {
	struct spinlock lock;
	int n;
	struct exec_map maps[MAX_EXEC_MAPS];
} em;

void vm_note_exec_map(uint64_t start, uint64_t len, int prot, long manifest_index, uint64_t off)
{
	spin_lock(&em.lock);
	if (em.n < MAX_EXEC_MAPS)
		em.maps[em.n++] = (struct exec_map){ start, start + len, prot, manifest_index, off };
	spin_unlock(&em.lock);
	patch_new_mapping(start, len, prot, manifest_index, off);
}

void vm_forget_exec_maps(uint64_t start, uint64_t len)
{
	uint64_t end = start + len;
	int any = 0;
	spin_lock(&em.lock);
	for (int i = 0; i < em.n;) {
		if (em.maps[i].start < end && em.maps[i].end > start) {
			em.maps[i] = em.maps[--em.n];
			any = 1;
		} else {
			i++;
		}
	}
	spin_unlock(&em.lock);
	if (any)
		patch_forget_range(start, len);
}

int vm_find_exec_map(uint64_t addr, uint64_t len, struct exec_map *out)
{
	int found = 0;
	spin_lock(&em.lock);
	for (int i = 0; i < em.n; i++) {
		if (addr >= em.maps[i].start && addr + len <= em.maps[i].end) {
			*out = em.maps[i];
			found = 1;
			break;
		}
	}
	spin_unlock(&em.lock);
	return found;
}
