/* true: do nothing, successfully. */
#include "help.h"

static const char usage_text[] =
    "Usage: true [ignored command line arguments]\n"
    "Exit with a status code indicating success.\n"
    "\n"
    "      --help     display this help and exit\n";

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ALONE, usage_text);
  return 0;
}
