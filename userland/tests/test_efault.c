/* Bad user pointers are reported as EFAULT, never crash the kernel. */
#include <fcntl.h>

#include "check.h"

int main(void) {
  CHECK_ERR(write(1, (void *)1, 10), EFAULT, "write from a bad pointer");
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe");
  CHECK(write(fds[1], "data", 4) == 4, "write to pipe");
  CHECK_ERR(read(fds[0], NULL, 4), EFAULT, "read into NULL");
  CHECK_ERR(openat(AT_FDCWD, (const char *)1, O_RDONLY), EFAULT, "openat with a bad path");
  CHECK_ERR(pipe((int *)4), EFAULT, "pipe into a bad array");
  /* The process is intact afterwards and the data is still in the pipe (as
   * on Linux, a failed copy consumes nothing). Non-blocking, so a kernel
   * that lost the data fails here instead of hanging. */
  CHECK(fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0, "O_NONBLOCK");
  char buf[4];
  CHECK(read(fds[0], buf, 4) == 4 && memcmp(buf, "data", 4) == 0, "pipe data intact");
  dprintf(1, "efault: write, read, openat, pipe2 report EFAULT\n");
  return 0;
}
