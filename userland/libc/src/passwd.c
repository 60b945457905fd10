/* The user and group databases: /etc/passwd and /etc/group, read line by line
 * on every call (no caching, so changes are seen at once). */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MEMBERS 64

static char line[1024];

/* Splits line at ':' into at most max fields; returns how many. */
static int split(char *s, char **field, int max) {
  int n = 0;
  s[strcspn(s, "\n")] = 0;
  while (n < max) {
    field[n++] = s;
    s = strchr(s, ':');
    if (!s) break;
    *s++ = 0;
  }
  return n;
}

static int number(const char *s, unsigned *out) {
  char *end;
  if (!*s) return 0;
  unsigned long v = strtoul(s, &end, 10);
  if (*end) return 0;
  *out = (unsigned)v;
  return 1;
}

/* The first passwd entry with this name (name != NULL) or uid. */
static struct passwd *find_user(const char *name, uid_t uid) {
  static struct passwd pw;
  FILE *f = fopen("/etc/passwd", "re");
  if (!f) return 0;
  struct passwd *found = 0;
  char *fl[7];
  while (!found && fgets(line, sizeof line, f)) {
    unsigned u, g;
    if (split(line, fl, 7) != 7 || !number(fl[2], &u) || !number(fl[3], &g)) continue;
    if (name ? strcmp(fl[0], name) != 0 : u != uid) continue;
    pw.pw_name = fl[0];
    pw.pw_passwd = fl[1];
    pw.pw_uid = u;
    pw.pw_gid = g;
    pw.pw_gecos = fl[4];
    pw.pw_dir = fl[5];
    pw.pw_shell = fl[6];
    found = &pw;
  }
  fclose(f);
  return found;
}

struct passwd *getpwuid(uid_t uid) { return find_user(0, uid); }
struct passwd *getpwnam(const char *name) { return find_user(name, 0); }

static struct group *find_group(const char *name, gid_t gid) {
  static struct group gr;
  static char *members[MAX_MEMBERS + 1];
  FILE *f = fopen("/etc/group", "re");
  if (!f) return 0;
  struct group *found = 0;
  char *fl[4];
  while (!found && fgets(line, sizeof line, f)) {
    unsigned g;
    if (split(line, fl, 4) != 4 || !number(fl[2], &g)) continue;
    if (name ? strcmp(fl[0], name) != 0 : g != gid) continue;
    int n = 0;
    for (char *m = fl[3]; *m && n < MAX_MEMBERS;) {
      members[n++] = m;
      m = strchr(m, ',');
      if (!m) break;
      *m++ = 0;
    }
    members[n] = 0;
    gr.gr_name = fl[0];
    gr.gr_passwd = fl[1];
    gr.gr_gid = g;
    gr.gr_mem = members;
    found = &gr;
  }
  fclose(f);
  return found;
}

struct group *getgrgid(gid_t gid) { return find_group(0, gid); }
struct group *getgrnam(const char *name) { return find_group(name, 0); }
