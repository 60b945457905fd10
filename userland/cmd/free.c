/* free [-b|-k|-m|-g] [-h]: memory and swap totals from /proc/meminfo in
 * procps-ng's layout (a header, then "Mem:" and "Swap:" rows). Sizes are in
 * KiB by default; -b bytes, -k KiB, -m MiB, -g GiB, -h the shortest readable
 * form (e.g. "9.5Mi", "23Gi", "0B"). used = MemTotal - MemAvailable (MemFree
 * when MemAvailable is absent), buff/cache = Buffers + Cached + SReclaimable,
 * shared = Shmem; any missing field counts as 0. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage:\n"
    " free [options]\n"
    "\n"
    "Options:\n"
    " -b, --bytes         show output in bytes\n"
    " -k, --kibi          show output in kibibytes\n"
    " -m, --mebi          show output in mebibytes\n"
    " -g, --gibi          show output in gibibytes\n"
    " -h, --human         show human-readable output\n"
    "\n"
    "     --help     display this help and exit\n";


typedef unsigned long long u64;

enum { TOTAL, FREE, AVAIL, BUFFERS, CACHED, SRECLAIM, SHMEM, SWTOTAL, SWFREE, NFIELDS };
static const char *const names[NFIELDS] = {
    "MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached",
    "SReclaimable", "Shmem", "SwapTotal", "SwapFree",
};

static int unit = -1; /* power of 1024 to divide bytes by; -1 = not chosen (KiB) */
static int human;

static void usage(void) {
  fprintf(stderr, "usage: free [-b|-k|-m|-g] [-h]\n");
}

/* Reads the fields we know (values in kB) into kb[]; fields not present stay 0.
 * Returns whether MemAvailable was present, or -1 when the file cannot be read. */
static int read_meminfo(u64 kb[NFIELDS]) {
  FILE *f = fopen("/proc/meminfo", "r");
  if (!f) return -1;
  int have_avail = 0;
  char line[256];
  while (fgets(line, sizeof line, f)) {
    char *colon = strchr(line, ':');
    if (!colon) continue;
    *colon = '\0';
    for (int i = 0; i < NFIELDS; i++) {
      if (strcmp(line, names[i]) != 0) continue;
      kb[i] = strtoull(colon + 1, 0, 10);
      if (i == AVAIL) have_avail = 1;
    }
  }
  fclose(f);
  return have_avail;
}

/* One column: the value (in KiB) scaled as the options ask, right-aligned. */
static void column(u64 kib, int width) {
  u64 bytes = kib * 1024;
  char buf[32];
  if (!human) {
    u64 v = bytes;
    int u = unit < 0 ? 1 : unit;
    for (int i = 0; i < u; i++) v /= 1024;
    snprintf(buf, sizeof buf, "%llu", v);
  } else if (bytes < 1000) {
    snprintf(buf, sizeof buf, "%lluB", bytes);
  } else {
    /* As procps: the first power of 1024 where "N.NXi" fits in 5 characters,
     * else a whole "NXi" does. Tenths are rounded, whole numbers truncated. */
    static const char suffix[] = "KMGTPE";
    u64 div = 1;
    buf[0] = '\0';
    for (int i = 0; suffix[i]; i++) {
      div *= 1024;
      u64 tenths = (bytes * 10 + div / 2) / div;
      if (tenths < 100) {
        snprintf(buf, sizeof buf, "%llu.%llu%ci", tenths / 10, tenths % 10, suffix[i]);
        break;
      }
      if (bytes / div < 1000) {
        snprintf(buf, sizeof buf, "%llu%ci", bytes / div, suffix[i]);
        break;
      }
    }
  }
  printf("%*s", width, buf);
}

static void row(const char *label, const u64 *v, int n) {
  printf("%-9s", label);
  column(v[0], 11);
  for (int i = 1; i < n; i++) {
    putchar(' ');
    column(v[i], 11);
  }
  putchar('\n');
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int c;
  opterr = 0;
  while ((c = getopt(argc, argv, "bkmgh")) != -1) {
    int u = -1;
    switch (c) {
      case 'b': u = 0; break;
      case 'k': u = 1; break;
      case 'm': u = 2; break;
      case 'g': u = 3; break;
      case 'h': human = 1; break;
      default:
        fprintf(stderr, "free: invalid option -- '%c'\n", optopt);
        usage();
        return 1;
    }
    if (u >= 0) {
      if (unit >= 0) {
        fprintf(stderr, "free: Multiple unit options don't make sense.\n");
        return 1;
      }
      unit = u;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "free: extra operand '%s'\n", argv[optind]);
    usage();
    return 1;
  }
  u64 kb[NFIELDS] = {0};
  int have_avail = read_meminfo(kb);
  if (have_avail < 0) {
    fprintf(stderr, "free: /proc/meminfo: %s\n", strerror(errno));
    return 1;
  }
  u64 avail = have_avail ? kb[AVAIL] : kb[FREE];
  if (avail > kb[TOTAL]) avail = kb[TOTAL];
  u64 cache = kb[BUFFERS] + kb[CACHED] + kb[SRECLAIM];
  u64 mem[6] = {kb[TOTAL], kb[TOTAL] - avail, kb[FREE], kb[SHMEM], cache, avail};
  u64 swap_used = kb[SWTOTAL] > kb[SWFREE] ? kb[SWTOTAL] - kb[SWFREE] : 0;
  u64 swap[3] = {kb[SWTOTAL], swap_used, kb[SWFREE]};
  printf("               total        used        free      shared  buff/cache   available\n");
  row("Mem:", mem, 6);
  row("Swap:", swap, 3);
  return 0;
}
