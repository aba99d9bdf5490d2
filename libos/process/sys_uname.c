/* libos/process/sys_uname.c — uname and sysinfo: the instance's view (nodename from the config,
 * memory from user_space_size), with the host's load and uptime. */
#include "process.h"
#include "../config.h"
#include "../errno.h"
#include "../entry/usercopy.h"
#include "../time/time.h"
#include "../vm/vm.h"
#include "../../lib/mem.h"
#include <linux/utsname.h>
#include <linux/sysinfo.h>

long sys_uname(void *ubuf)
{
	struct new_utsname u;
	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", sizeof(u.sysname));
	strlcpy(u.nodename, cfg->hostname, sizeof(u.nodename));
	strlcpy(u.release, LIBOS_UNAME_RELEASE, sizeof(u.release));
	strlcpy(u.version, LIBOS_UNAME_VERSION, sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user(ubuf, &u, sizeof(u));
}

long sys_sysinfo(void *ubuf)
{
	struct sysinfo host, s;
	long r = pal_sysinfo(&host);
	if (r < 0)
		return r;
	memset(&s, 0, sizeof(s));
	s.uptime = host.uptime;
	for (int i = 0; i < 3; i++)
		s.loads[i] = host.loads[i];
	s.mem_unit = 1;
	s.totalram = cfg->user_space_size;
	uint64_t used = vm_app_bytes();
	s.freeram = used < s.totalram ? s.totalram - used : 0;
	s.procs = 1;
	return copy_to_user(ubuf, &s, sizeof(s));
}
