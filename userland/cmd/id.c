/* id [-u | -g | -G] [-n] [-r] [USER]: user and group IDs, as GNU id prints them:
 * "uid=0(root) gid=0(root) groups=0(root)", with euid=/egid= when they differ
 * from the real ones. Names come from /etc/passwd and /etc/group when those
 * exist (Strata has neither) and are left out when an ID has none. -u, -g and
 * -G print only the effective user ID, group ID or all group IDs; -n prints
 * names instead (an error when an ID has no name); -r the real IDs. USER (a
 * name or number in /etc/passwd) shows that user, its groups taken from
 * /etc/group. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: id [OPTION]... [USER]\n"
    "Print user and group information for each specified USER,\n"
    "or (when USER omitted) for the current process.\n"
    "\n"
    "  -g, --group    print only the effective group ID\n"
    "  -G, --groups   print all group IDs\n"
    "  -n, --name     print a name instead of a number, for -u,-g,-G\n"
    "  -r, --real     print the real ID instead of the effective ID, with -u,-g,-G\n"
    "  -u, --user     print only the effective user ID\n"
    "      --help     display this help and exit\n";


#define MAX_GROUPS 64
#define SYS_GETGROUPS 158

/* Splits a passwd/group line at ':' into at most n fields; returns the count. */
static int split(char *line, char **field, int n) {
  int count = 0;
  line[strcspn(line, "\n")] = '\0';
  while (count < n) {
    field[count++] = line;
    char *colon = strchr(line, ':');
    if (!colon) break;
    *colon = '\0';
    line = colon + 1;
  }
  return count;
}

/* The name of ID in FILE (/etc/passwd or /etc/group) copied into out, or 0. */
static const char *name_of(const char *file, unsigned id, char *out, size_t size) {
  FILE *f = fopen(file, "r");
  if (!f) return 0;
  char line[512], *field[3];
  const char *found = 0;
  while (!found && fgets(line, sizeof line, f)) {
    char *end;
    if (split(line, field, 3) < 3) continue;
    unsigned long v = strtoul(field[2], &end, 10);
    if (end == field[2] || *end || v != id) continue;
    snprintf(out, size, "%s", field[0]);
    found = out;
  }
  fclose(f);
  return found;
}

/* Looks USER up in /etc/passwd by name, then as a number; fills uid and gid and
 * the canonical name. Returns 0 when there is no such user. */
static int find_user(const char *user, unsigned *uid, unsigned *gid, char *name, size_t size) {
  FILE *f = fopen("/etc/passwd", "r");
  if (!f) return 0;
  char line[512], *field[4];
  char *end;
  unsigned long want = strtoul(user, &end, 10);
  int numeric = *user && !*end;
  int found = 0;
  for (int pass = 0; pass < 2 && !found; pass++) {
    rewind(f);
    while (!found && fgets(line, sizeof line, f)) {
      if (split(line, field, 4) < 4) continue;
      if (pass == 0 ? strcmp(field[0], user) != 0
                    : !numeric || strtoul(field[2], 0, 10) != want)
        continue;
      *uid = strtoul(field[2], 0, 10);
      *gid = strtoul(field[3], 0, 10);
      snprintf(name, size, "%s", field[0]);
      found = 1;
    }
  }
  fclose(f);
  return found;
}

/* Appends to list (after gid) the groups in /etc/group that name USER as a member. */
static int member_groups(const char *user, unsigned *list, int n) {
  FILE *f = fopen("/etc/group", "r");
  if (!f) return n;
  char line[1024], *field[4];
  while (n < MAX_GROUPS && fgets(line, sizeof line, f)) {
    if (split(line, field, 4) < 4) continue;
    for (char *m = strtok(field[3], ","); m; m = strtok(0, ",")) {
      if (strcmp(m, user) == 0) {
        list[n++] = strtoul(field[2], 0, 10);
        break;
      }
    }
  }
  fclose(f);
  return n;
}

/* Adds the kernel's supplementary groups to list. */
static int process_groups(unsigned *list, int n) {
  unsigned extra[MAX_GROUPS];
  long count = syscall(SYS_GETGROUPS, MAX_GROUPS, extra);
  for (long i = 0; i < count && n < MAX_GROUPS; i++) list[n++] = extra[i];
  return n;
}

/* Removes repeats, keeping the first occurrence (the primary group comes first). */
static int dedup(unsigned *list, int n) {
  int out = 0;
  for (int i = 0; i < n; i++) {
    int seen = 0;
    for (int j = 0; j < out; j++) seen |= list[j] == list[i];
    if (!seen) list[out++] = list[i];
  }
  return out;
}

/* "ID(name)" or just "ID" when the name is unknown. */
static void show(unsigned id, const char *file) {
  char name[64];
  printf("%u", id);
  if (name_of(file, id, name, sizeof name)) printf("(%s)", name);
}

static void usage(void) {
  fprintf(stderr, "usage: id [-u | -g | -G] [-n] [-r] [USER]\n");
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int only = 0, names = 0, real = 0, c;
  opterr = 0;
  while ((c = getopt(argc, argv, "ugGnr")) != -1) {
    switch (c) {
      case 'u':
      case 'g':
      case 'G':
        if (only && only != c) {
          fprintf(stderr, "id: cannot print \"only\" of more than one choice\n");
          return 1;
        }
        only = c;
        break;
      case 'n': names = 1; break;
      case 'r': real = 1; break;
      default:
        fprintf(stderr, "id: invalid option -- '%c'\n", optopt);
        usage();
        return 1;
    }
  }
  if (argc - optind > 1) {
    fprintf(stderr, "id: extra operand '%s'\n", argv[optind + 1]);
    usage();
    return 1;
  }
  if (!only && (names || real)) {
    fprintf(stderr, "id: cannot print only names or real IDs in default format\n");
    return 1;
  }
  unsigned ruid, euid, rgid, egid, groups[MAX_GROUPS];
  int ngroups = 0;
  if (optind < argc) {
    char user[64];
    if (!find_user(argv[optind], &ruid, &rgid, user, sizeof user)) {
      fprintf(stderr, "id: '%s': no such user\n", argv[optind]);
      return 1;
    }
    euid = ruid;
    egid = rgid;
    groups[ngroups++] = rgid;
    ngroups = member_groups(user, groups, ngroups);
  } else {
    ruid = getuid();
    euid = geteuid();
    rgid = getgid();
    egid = getegid();
    /* As GNU: -G starts with the real group, the full format does not. */
    if (only == 'G') groups[ngroups++] = rgid;
    groups[ngroups++] = egid;
    ngroups = process_groups(groups, ngroups);
  }
  ngroups = dedup(groups, ngroups);

  if (only) {
    const char *file = only == 'u' ? "/etc/passwd" : "/etc/group";
    unsigned single = only == 'u' ? (real ? ruid : euid) : (real ? rgid : egid);
    unsigned *list = only == 'G' ? groups : &single;
    int n = only == 'G' ? ngroups : 1;
    int status = 0;
    for (int i = 0; i < n; i++) {
      char name[64];
      if (i) putchar(' ');
      if (!names) {
        printf("%u", list[i]);
      } else if (name_of(file, list[i], name, sizeof name)) {
        printf("%s", name);
      } else {
        /* GNU prints the number and fails. */
        fflush(stdout);
        fprintf(stderr, "id: cannot find name for %s ID %u\n", only == 'u' ? "user" : "group",
                list[i]);
        printf("%u", list[i]);
        status = 1;
      }
    }
    putchar('\n');
    return status;
  }

  printf("uid=");
  show(ruid, "/etc/passwd");
  printf(" gid=");
  show(rgid, "/etc/group");
  if (euid != ruid) {
    printf(" euid=");
    show(euid, "/etc/passwd");
  }
  if (egid != rgid) {
    printf(" egid=");
    show(egid, "/etc/group");
  }
  printf(" groups=");
  for (int i = 0; i < ngroups; i++) {
    if (i) putchar(',');
    show(groups[i], "/etc/group");
  }
  putchar('\n');
  return 0;
}
