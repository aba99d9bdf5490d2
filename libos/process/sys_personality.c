/* libos/process/sys_personality.c — personality: the process's execution domain and flag bits
 * (ADDR_NO_RANDOMIZE and the rest), stored as Linux stores them: any value is accepted. */
#include "process.h"

/* 0xffffffff only asks. Linux keeps whatever else it is given (PER_BSD too: the execution
 * domains are gone, so nothing is refused) and reports the previous value. */
long sys_personality(unsigned persona)
{
	unsigned old = proc.personality;
	if (persona != 0xffffffffu)
		proc.personality = persona;
	return (long)old;
}
