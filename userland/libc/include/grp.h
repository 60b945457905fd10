/* The group database, read from /etc/group. */
#ifndef _GRP_H
#define _GRP_H

#include <sys/types.h>

struct group {
  char *gr_name;
  char *gr_passwd;
  gid_t gr_gid;
  char **gr_mem; /* NULL-terminated member names */
};

/* The result lives in a static buffer that the next call overwrites. */
struct group *getgrgid(gid_t gid);
struct group *getgrnam(const char *name);

#endif
