/* poweroff: ask the kernel to power the machine off (reboot(2) with
 * LINUX_REBOOT_CMD_POWER_OFF and both magic numbers). Needs privilege. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: poweroff\n"
    "Power off the machine.\n"
    "\n"
    "      --help     display this help and exit\n";


int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  fflush(stdout);
  if (reboot(LINUX_REBOOT_CMD_POWER_OFF) < 0) {
    fprintf(stderr, "poweroff: %s\n", strerror(errno));
    return 1;
  }
  /* Not reached on success: the machine is off. */
  return 0;
}
