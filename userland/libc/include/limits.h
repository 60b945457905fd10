/* clang's freestanding limits plus the POSIX path limits. */
#ifndef _STRATA_LIMITS_H
#define _STRATA_LIMITS_H
#include_next <limits.h>
#define PATH_MAX 4096
#define NAME_MAX 255
#define PIPE_BUF 4096
#define ARG_MAX 131072
#endif
