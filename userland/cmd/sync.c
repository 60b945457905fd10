/* sync: write every file system's cached changes to the disks. */
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: sync\n"
    "Write every cached change of every file system to its disk, and flush\n"
    "the drives' caches.\n"
    "\n"
    "      --help   display this help and exit\n";

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ALONE, usage_text);
  sync();
  return 0;
}
