/* uname: sysname is Linux (qemu) or Strata; prints the machine field only. */
#include <sys/utsname.h>

#include "check.h"

int main(void) {
  struct utsname u;
  CHECK(uname(&u) == 0, "uname");
  CHECK(strcmp(u.sysname, "Linux") == 0 || strcmp(u.sysname, "Strata") == 0, "sysname");
  CHECK(u.release[0] != 0, "release set");
  CHECK(strcmp(u.machine, "riscv32") == 0, "machine is riscv32");
  dprintf(1, "machine: %s\n", u.machine);
  return 0;
}
