/* df [-h] [FILE...]: free space of the file systems holding each FILE, or of
 * every mounted one. Sizes in 1K blocks (or human-readable with -h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: df [-h] [FILE]...\n"
    "Show the size, use and free space of the file system holding each FILE,\n"
    "or of every mounted file system.\n"
    "\n"
    "  -h       sizes in powers of 1024 (K, M, G)\n"
    "      --help   display this help and exit\n";

static int human;

static void size(char *out, size_t cap, unsigned long long kib) {
  if (!human) {
    snprintf(out, cap, "%llu", kib);
    return;
  }
  const char *units = "KMGT";
  unsigned long long v = kib * 10;
  int u = 0;
  while (v >= 10240 && u < 3) {
    v /= 1024;
    u++;
  }
  if (v < 100) snprintf(out, cap, "%llu.%llu%c", v / 10, v % 10, units[u]);
  else snprintf(out, cap, "%llu%c", (v + 5) / 10, units[u]);
}

static int show(const char *source, const char *path) {
  struct statfs s;
  if (statfs(path, &s) < 0) {
    fprintf(stderr, "df: %s: %s\n", path, strerror(errno));
    return 1;
  }
  unsigned long long total = s.f_blocks * s.f_bsize / 1024;
  unsigned long long avail = s.f_bavail * s.f_bsize / 1024;
  unsigned long long used = (s.f_blocks - s.f_bfree) * s.f_bsize / 1024;
  char t[32], u[32], a[32];
  size(t, sizeof t, total);
  size(u, sizeof u, used);
  size(a, sizeof a, avail);
  unsigned long long denom = used + avail;
  char pct[8] = "-";
  if (denom > 0) snprintf(pct, sizeof pct, "%llu%%", (used * 100 + denom - 1) / denom);
  printf("%-15s %10s %10s %10s %4s %s\n", source, t, u, a, pct, path);
  return 0;
}

/* The source of the mount holding `path` (the longest mounted directory that prefixes it). */
static void source_of(const char *path, char *out, size_t cap) {
  char abs[512];
  if (path[0] == '/') snprintf(abs, sizeof abs, "%s", path);
  else {
    char cwd[256];
    if (!getcwd(cwd, sizeof cwd)) cwd[0] = 0;
    snprintf(abs, sizeof abs, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, path);
  }
  snprintf(out, cap, "-");
  FILE *f = fopen("/proc/mounts", "r");
  if (!f) return;
  char line[512];
  size_t best = 0;
  while (fgets(line, sizeof line, f)) {
    char src[128], dir[256];
    if (sscanf(line, "%127s %255s", src, dir) != 2) continue;
    size_t n = strlen(dir);
    int under = strcmp(dir, "/") == 0 ||
                (strncmp(abs, dir, n) == 0 && (abs[n] == 0 || abs[n] == '/'));
    if (under && n >= best) {
      best = n;
      snprintf(out, cap, "%s", src);
    }
  }
  fclose(f);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt;
  while ((opt = getopt(argc, argv, "hk")) != -1) {
    if (opt == 'h') human = 1;
    else if (opt != 'k') {
      fputs(usage_text, stderr);
      return 1;
    }
  }
  printf("%-15s %10s %10s %10s %4s %s\n", "Filesystem", human ? "Size" : "1K-blocks", "Used",
         human ? "Avail" : "Available", "Use%", "Mounted on");
  int status = 0;
  if (optind < argc) {
    for (int i = optind; i < argc; i++) {
      char src[128];
      source_of(argv[i], src, sizeof src);
      status |= show(src, argv[i]);
    }
    return status;
  }
  FILE *f = fopen("/proc/mounts", "r");
  if (!f) {
    perror("df: /proc/mounts");
    return 1;
  }
  char line[512];
  while (fgets(line, sizeof line, f)) {
    char src[128], dir[256];
    if (sscanf(line, "%127s %255s", src, dir) == 2) status |= show(src, dir);
  }
  fclose(f);
  return status;
}
