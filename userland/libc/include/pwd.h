/* The user database, read from /etc/passwd. */
#ifndef _PWD_H
#define _PWD_H

#include <sys/types.h>

struct passwd {
  char *pw_name;
  char *pw_passwd;
  uid_t pw_uid;
  gid_t pw_gid;
  char *pw_gecos;
  char *pw_dir;
  char *pw_shell;
};

/* The result lives in a static buffer that the next call overwrites. */
struct passwd *getpwuid(uid_t uid);
struct passwd *getpwnam(const char *name);

#endif
