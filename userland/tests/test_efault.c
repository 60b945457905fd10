/* Bad user pointers are reported as EFAULT, never crash the kernel. */
#include <fcntl.h>
#include <sys/mman.h>

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
  /* Buffers that cross a page boundary: the pipe copies straight between
   * them and its ring buffer, page by page. Into a mapped second page all
   * bytes arrive; with the second page unmapped, read and write fail with
   * EFAULT and the pipe neither loses nor gains a byte. */
  char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(two != MAP_FAILED, "mmap two pages");
  memcpy(two + 4094, "wxyz", 4);
  CHECK(write(fds[1], two + 4094, 4) == 4, "write from across a page boundary");
  CHECK(read(fds[0], two + 4090, 4) == 4 && memcmp(two + 4090, "wxyz", 4) == 0,
        "read back below the boundary");
  CHECK(write(fds[1], "abcd", 4) == 4, "write to pipe again");
  CHECK(read(fds[0], two + 4094, 4) == 4 && memcmp(two + 4094, "abcd", 4) == 0,
        "read into across a page boundary");
  CHECK(munmap(two + 4096, 4096) == 0, "munmap the second page");
  CHECK(write(fds[1], "efgh", 4) == 4, "write to pipe a third time");
  CHECK_ERR(read(fds[0], two + 4094, 4), EFAULT, "read into a buffer running off its mapping");
  CHECK_ERR(write(fds[1], two + 4094, 4), EFAULT, "write from a buffer running off its mapping");
  CHECK(read(fds[0], buf, 4) == 4 && memcmp(buf, "efgh", 4) == 0, "pipe data intact again");
  CHECK_ERR(read(fds[0], buf, 4), EAGAIN, "nothing else in the pipe");
  dprintf(1, "efault: write, read, openat, pipe2 report EFAULT\n");
  return 0;
}
