/* basename NAME [SUFFIX] | basename -a [-s SUFFIX] NAME...: print NAME without its
 * leading directories and trailing slashes ("/" for a name made only of slashes),
 * removing SUFFIX when it ends the name and is not all of it. -a takes several
 * names; -s SUFFIX implies -a. As GNU basename. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "help.h"

static const char usage_text[] =
    "Usage: basename NAME [SUFFIX]\n"
    "  or:  basename OPTION... NAME...\n"
    "Print NAME with any leading directory components removed.\n"
    "If specified, also remove a trailing SUFFIX.\n"
    "\n"
    "  -a, --multiple       support multiple arguments and treat each as a NAME\n"
    "  -s, --suffix=SUFFIX  remove a trailing SUFFIX; implies -a\n"
    "      --help           display this help and exit\n";


static void print_base(char *name, const char *suffix) {
  size_t len = strlen(name);
  while (len > 1 && name[len - 1] == '/') len--; /* trailing slashes */
  if (len == 1 && name[0] == '/') {
    puts("/");
    return;
  }
  size_t start = len;
  while (start > 0 && name[start - 1] != '/') start--;
  size_t blen = len - start;
  if (suffix) {
    size_t slen = strlen(suffix);
    if (slen < blen && memcmp(name + start + blen - slen, suffix, slen) == 0) blen -= slen;
  }
  printf("%.*s\n", (int)blen, name + start);
}

static int usage_error(const char *msg, const char *arg) {
  fprintf(stderr, "basename: %s", msg);
  if (arg) fprintf(stderr, " '%s'", arg);
  fprintf(stderr, "\nTry 'basename --help' for more information.\n");
  return 1;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt, multiple = 0;
  const char *suffix = 0;
  while ((opt = getopt(argc, argv, "as:")) != -1) {
    if (opt == 'a') multiple = 1;
    else if (opt == 's') multiple = 1, suffix = optarg;
    else {
      fprintf(stderr, "Try 'basename --help' for more information.\n");
      return 1;
    }
  }
  if (optind >= argc) return usage_error("missing operand", 0);
  if (!multiple) {
    if (argc - optind > 2) return usage_error("extra operand", argv[optind + 2]);
    print_base(argv[optind], optind + 1 < argc ? argv[optind + 1] : 0);
  } else {
    for (int i = optind; i < argc; i++) print_base(argv[i], suffix);
  }
  return fflush(stdout) ? 1 : 0;
}
