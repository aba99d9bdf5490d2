/* libos/process/cred.h — the process's credentials as the rest of the LibOS asks about them:
 * the fs ids path lookup checks against, group membership, capabilities. uid 0 of the instance is
 * root of the instance only (as in a user namespace): nothing here is granted on the host. */
#ifndef LIBOS_PROCESS_CRED_H
#define LIBOS_PROCESS_CRED_H

#include <stdint.h>
#include <linux/capability.h>

/* The full capability set of the running kernel's ABI (CAP_LAST_CAP of the 6.x headers). */
#define CRED_CAP_ALL ((1ULL << (CAP_LAST_CAP + 1)) - 1)

/* Sets every id of the process to uid/gid (start-up, from the config), no supplementary groups,
 * and the capabilities Linux gives a process with those ids. */
void cred_init(uint32_t uid, uint32_t gid);
/* Whether the calling process has capability cap in its effective set. */
int cred_capable(int cap);
/* The ids file-system checks and new files use (Linux's fsuid/fsgid). */
uint32_t cred_fsuid(void);
uint32_t cred_fsgid(void);
/* Whether gid is the fs gid or one of the supplementary groups. */
int cred_in_group(uint32_t gid);

#endif
