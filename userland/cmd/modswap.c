/* modswap OLD NEW: replace a loaded module by another that serves the same
 * devices (or a newer version of itself, NAME@FILE), handing over its
 * devices, references and state while the machine runs. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/module.h>

#include "help.h"

static const char usage_text[] =
    "Usage: modswap OLD NEW[@FILE]\n"
    "Replace the loaded module OLD by NEW while the machine runs: requests in\n"
    "flight finish in OLD, new ones wait and then go to NEW.\n"
    "\n"
    "      --help     display this help and exit\n";

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  if (argc != 3) {
    fprintf(stderr, "Usage: modswap OLD NEW[@FILE]\n");
    return 1;
  }
  if (strata_module_swap(argv[1], argv[2]) < 0) {
    fprintf(stderr, "modswap: cannot replace %s by %s: %s\n", argv[1], argv[2], strerror(errno));
    return 1;
  }
  return 0;
}
