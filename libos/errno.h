/* libos/errno.h — Linux errno values for the LibOS; handlers return them negated. */
#ifndef LIBOS_ERRNO_H
#define LIBOS_ERRNO_H
#include <asm-generic/errno.h>
#endif
