/* du [-s] [-a] [-h] [FILE...]: disk usage (allocated blocks, in 1K units) of
 * each FILE and, for directories, of everything under them. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: du [-a] [-s] [-h] [FILE]...\n"
    "Summarize the disk usage of each FILE, recursively for directories\n"
    "(in 1024-byte blocks; the current directory by default).\n"
    "\n"
    "  -a   write counts for all files, not just directories\n"
    "  -s   display only a total for each argument\n"
    "  -h   sizes in powers of 1024 (K, M, G)\n"
    "      --help   display this help and exit\n";

static int all, summary, human, status;

/* Hard links are counted once: the (device, inode) pairs seen. */
static struct { unsigned long dev, ino; } *seen;
static size_t nseen, capseen;

static int seen_before(const struct stat *st) {
  if (st->st_nlink < 2 || S_ISDIR(st->st_mode)) return 0;
  for (size_t i = 0; i < nseen; i++) {
    if (seen[i].dev == (unsigned long)st->st_dev && seen[i].ino == (unsigned long)st->st_ino) return 1;
  }
  if (nseen == capseen) {
    capseen = capseen ? capseen * 2 : 64;
    seen = realloc(seen, capseen * sizeof *seen);
    if (!seen) exit(1);
  }
  seen[nseen].dev = st->st_dev;
  seen[nseen].ino = st->st_ino;
  nseen++;
  return 0;
}

static void print(unsigned long long kib, const char *path) {
  if (!human) {
    printf("%llu\t%s\n", kib, path);
    return;
  }
  const char *units = "KMGT";
  int u = 0;
  unsigned long long v = kib * 10;
  while (v >= 10240 && u < 3) {
    v /= 1024;
    u++;
  }
  if (v < 100) printf("%llu.%llu%c\t%s\n", v / 10, v % 10, units[u], path);
  else printf("%llu%c\t%s\n", (v + 5) / 10, units[u], path);
}

static unsigned long long walk(const char *path, int depth) {
  struct stat st;
  if (lstat(path, &st) < 0) {
    fprintf(stderr, "du: cannot access '%s': %s\n", path, strerror(errno));
    status = 1;
    return 0;
  }
  if (seen_before(&st)) return 0;
  unsigned long long total = (unsigned long long)st.st_blocks / 2;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    if (!d) {
      fprintf(stderr, "du: cannot read directory '%s': %s\n", path, strerror(errno));
      status = 1;
    } else {
      struct dirent *e;
      while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(n);
        if (!child) exit(1);
        snprintf(child, n, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
        total += walk(child, depth + 1);
        free(child);
      }
      closedir(d);
    }
    if (!summary || depth == 0) print(total, path);
  } else if (depth == 0 || (all && !summary)) {
    print(total, path);
  }
  return total;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt;
  while ((opt = getopt(argc, argv, "ashk")) != -1) {
    if (opt == 'a') all = 1;
    else if (opt == 's') summary = 1;
    else if (opt == 'h') human = 1;
    else if (opt != 'k') {
      fputs(usage_text, stderr);
      return 1;
    }
  }
  if (optind == argc) walk(".", 0);
  for (int i = optind; i < argc; i++) walk(argv[i], 0);
  return status;
}
