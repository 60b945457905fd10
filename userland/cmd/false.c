/* false: do nothing, unsuccessfully. */
#include "help.h"

static const char usage_text[] =
    "Usage: false [ignored command line arguments]\n"
    "Exit with a status code indicating failure.\n"
    "\n"
    "      --help     display this help and exit\n";

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ALONE, usage_text);
  return 1;
}
