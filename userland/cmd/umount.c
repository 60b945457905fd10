/* umount TARGET...: detach file systems (everything is written back first). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "help.h"

static const char usage_text[] =
    "Usage: umount TARGET...\n"
    "Detach the file systems mounted on the directories TARGET. Their data is\n"
    "written to the device first. Busy file systems (open files) are left.\n"
    "\n"
    "      --help   display this help and exit\n";

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  if (argc < 2) {
    fputs(usage_text, stderr);
    return 1;
  }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    if (umount(argv[i]) < 0) {
      fprintf(stderr, "umount: %s: %s\n", argv[i],
              errno == EINVAL ? "not mounted" : strerror(errno));
      status = 32;
    }
  }
  return status;
}
