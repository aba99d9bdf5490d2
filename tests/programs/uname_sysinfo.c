/* tests/programs/uname_sysinfo.c — uname says Linux x86_64 with a release >= 3.2; sysinfo reports
 * memory and a uptime; sysconf's page and cpu counts agree with them. */
#include "check.h"
#include <sys/sysinfo.h>
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;
	expect_ok(uname(&u), "uname");
	expect_str(u.sysname, "Linux", "sysname");
	expect_str(u.machine, "x86_64", "machine");
	ok("uname: sysname \"Linux\", machine \"x86_64\"");
	int maj = 0, min = 0;
	expect_eq(sscanf(u.release, "%d.%d", &maj, &min), 2, "release parses as N.N");
	expect_true(maj > 3 || (maj == 3 && min >= 2), "release >= 3.2");
	ok("uname: release parses as a version >= 3.2");
	expect_true(u.nodename[0] != 0, "nodename non-empty");
	expect_true(memchr(u.version, 0, sizeof u.version) != NULL, "version NUL-terminated");
	expect_true(memchr(u.domainname, 0, sizeof u.domainname) != NULL, "domainname NUL-terminated");
	ok("uname: nodename non-empty, every field NUL-terminated");
	char host[256];
	expect_ok(gethostname(host, sizeof host), "gethostname");
	expect_str(host, u.nodename, "gethostname == nodename");
	ok("gethostname equals uname's nodename");

	struct sysinfo si;
	memset(&si, 0, sizeof si);
	expect_ok(sysinfo(&si), "sysinfo");
	expect_true(si.totalram > 0, "totalram > 0");
	expect_true(si.mem_unit >= 1, "mem_unit >= 1");
	expect_true(si.freeram <= si.totalram, "freeram <= totalram");
	expect_true(si.procs >= 1, "procs >= 1");
	ok("sysinfo: totalram > 0, mem_unit >= 1, freeram <= totalram, procs >= 1");
	expect_true(sysconf(_SC_NPROCESSORS_ONLN) >= 1, "online cpus >= 1");
	expect_true(sysconf(_SC_PHYS_PAGES) > 0, "phys pages > 0");
	ok("sysconf: at least one cpu online and some physical pages");
	return 0;
}
