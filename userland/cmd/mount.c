/* mount [-r] [-t TYPE] [-o OPTIONS] SOURCE TARGET: attach a file system;
 * with no operands, list the mounted file systems (from /proc/mounts). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: mount [-r] [-t TYPE] [-o OPTIONS] SOURCE TARGET\n"
    "       mount                 list the mounted file systems\n"
    "Attach the file system on SOURCE (a block device such as /dev/hda1) to the\n"
    "directory TARGET.\n"
    "\n"
    "  -t TYPE      file system type (default ext2)\n"
    "  -o OPTIONS   comma-separated: ro, rw, nosuid, nodev, noexec, noatime;\n"
    "               others are passed to the file system\n"
    "  -r           mount read-only (as -o ro)\n"
    "      --help   display this help and exit\n";

static int list(void) {
  FILE *f = fopen("/proc/mounts", "r");
  if (!f) {
    perror("mount: /proc/mounts");
    return 1;
  }
  char line[512];
  while (fgets(line, sizeof line, f)) {
    char src[128], dir[256], type[64], opts[128];
    if (sscanf(line, "%127s %255s %63s %127s", src, dir, type, opts) != 4) continue;
    printf("%s on %s type %s (%s)\n", src, dir, type, opts);
  }
  fclose(f);
  return 0;
}

/* Applies one -o word to the flags, or appends it to the data string. */
static void option(const char *word, unsigned long *flags, char *data, size_t cap) {
  static const struct { const char *name; unsigned long set, clear; } known[] = {
      {"ro", MS_RDONLY, 0},       {"rw", 0, MS_RDONLY},         {"nosuid", MS_NOSUID, 0},
      {"nodev", MS_NODEV, 0},     {"noexec", MS_NOEXEC, 0},     {"noatime", MS_NOATIME, 0},
      {"defaults", 0, 0},
  };
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    if (strcmp(word, known[i].name) == 0) {
      *flags = (*flags | known[i].set) & ~known[i].clear;
      return;
    }
  }
  if (*data && strlen(data) + 1 < cap) strcat(data, ",");
  if (strlen(data) + strlen(word) < cap) strcat(data, word);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  const char *type = "ext2";
  unsigned long flags = 0;
  char data[256] = "";
  int opt;
  while ((opt = getopt(argc, argv, "rt:o:")) != -1) {
    if (opt == 'r') {
      flags |= MS_RDONLY;
    } else if (opt == 't') {
      type = optarg;
    } else if (opt == 'o') {
      char buf[256];
      strncpy(buf, optarg, sizeof buf - 1);
      buf[sizeof buf - 1] = 0;
      for (char *w = strtok(buf, ","); w; w = strtok(NULL, ",")) option(w, &flags, data, sizeof data);
    } else {
      fputs(usage_text, stderr);
      return 1;
    }
  }
  if (optind == argc) return list();
  if (argc - optind != 2) {
    fputs(usage_text, stderr);
    return 1;
  }
  if (mount(argv[optind], argv[optind + 1], type, flags, data[0] ? data : NULL) < 0) {
    fprintf(stderr, "mount: %s: %s\n", argv[optind + 1], strerror(errno));
    return 32;
  }
  return 0;
}
