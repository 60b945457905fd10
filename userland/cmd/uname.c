/* uname [-asnrvm]: print system information (default: the kernel name). */
#include <stdio.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: uname [OPTION]...\n"
    "Print certain system information.  With no OPTION, same as -s.\n"
    "\n"
    "  -a, --all                print all information\n"
    "  -s, --kernel-name        print the kernel name\n"
    "  -n, --nodename           print the network node hostname\n"
    "  -r, --kernel-release     print the kernel release\n"
    "  -v, --kernel-version     print the kernel version\n"
    "  -m, --machine            print the machine hardware name\n"
    "      --help        display this help and exit\n";


int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt;
  unsigned show = 0; /* bits: s n r v m */
  while ((opt = getopt(argc, argv, "asnrvm")) != -1) {
    switch (opt) {
      case 'a': show |= 31; break;
      case 's': show |= 1; break;
      case 'n': show |= 2; break;
      case 'r': show |= 4; break;
      case 'v': show |= 8; break;
      case 'm': show |= 16; break;
      default: fprintf(stderr, "usage: uname [-asnrvm]\n"); return 1;
    }
  }
  if (optind != argc) {
    fprintf(stderr, "uname: extra operand '%s'\n", argv[optind]);
    return 1;
  }
  if (!show) show = 1;
  struct utsname u;
  if (uname(&u) < 0) {
    perror("uname");
    return 1;
  }
  const char *fields[5] = {u.sysname, u.nodename, u.release, u.version, u.machine};
  const char *sep = "";
  for (int i = 0; i < 5; i++)
    if (show & (1u << i)) printf("%s%s", sep, fields[i]), sep = " ";
  putchar('\n');
  return fflush(stdout) ? 1 : 0;
}
