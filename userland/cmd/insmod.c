/* insmod NAME [key=value...]: load a module by name from the trusted module
 * directories (the project's plugins/ tree and --module-path), as root. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/module.h>

#include "help.h"

static const char usage_text[] =
    "Usage: insmod NAME[@FILE] [key=value ...]\n"
    "Load the module NAME from the trusted module directories.  NAME@FILE\n"
    "names the file inside one of them (a newer version, for instance).\n"
    "\n"
    "      --help     display this help and exit\n";

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_FIRST_ONLY, usage_text);
  if (argc < 2) {
    fprintf(stderr, "Usage: insmod NAME[@FILE] [key=value ...]\n");
    return 1;
  }
  char params[1024] = "";
  for (int i = 2; i < argc; i++) {
    if (strlen(params) + strlen(argv[i]) + 2 > sizeof params) {
      fprintf(stderr, "insmod: parameters too long\n");
      return 1;
    }
    if (i > 2) strcat(params, " ");
    strcat(params, argv[i]);
  }
  if (strata_module_load(argv[1], params) < 0) {
    const char *why = errno == ENOENT ? "No such module in the module directories"
                      : errno == ENOEXEC ? "Invalid module format"
                      : errno == EEXIST ? "Module already loaded"
                      : strerror(errno);
    fprintf(stderr, "insmod: ERROR: could not insert module %s: %s\n", argv[1], why);
    return 1;
  }
  return 0;
}
