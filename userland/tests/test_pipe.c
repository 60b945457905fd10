/* Pipes: data through fork (more than a pipe buffer, so the writer blocks),
 * EOF once every writer has closed, EPIPE with SIGPIPE ignored, and death
 * by SIGPIPE by default. */
#include <signal.h>

#include "check.h"

#define TOTAL (200 * 1024)

int main(void) {
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe");
  pid_t pid = fork();
  CHECK(pid >= 0, "fork");
  if (pid == 0) {
    close(fds[0]);
    static unsigned char chunk[4096];
    for (int off = 0; off < TOTAL; off += (int)sizeof(chunk)) {
      for (int i = 0; i < (int)sizeof(chunk); i++) chunk[i] = (unsigned char)((off + i) * 7);
      size_t done = 0;
      while (done < sizeof(chunk)) {
        ssize_t w = write(fds[1], chunk + done, sizeof(chunk) - done);
        if (w <= 0) _exit(2);
        done += (size_t)w;
      }
    }
    _exit(0);
  }
  close(fds[1]);
  static unsigned char buf[3000];
  long got = 0;
  for (;;) {
    ssize_t n = read(fds[0], buf, sizeof(buf));
    CHECK(n >= 0, "read");
    if (n == 0) break; /* EOF: the only writer exited */
    for (ssize_t i = 0; i < n; i++)
      CHECK(buf[i] == (unsigned char)((got + i) * 7), "pipe data in order");
    got += n;
  }
  CHECK(got == TOTAL, "all bytes arrived");
  int st = wait_for(pid);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer exited 0");
  close(fds[0]);
  dprintf(1, "pipe: %d bytes through fork, EOF after writer closed\n", TOTAL);

  /* EOF needs every write end closed: a dup keeps the pipe open. */
  CHECK(pipe(fds) == 0, "pipe");
  int extra = dup(fds[1]);
  CHECK(extra >= 0, "dup");
  close(fds[1]);
  write(extra, "x", 1);
  char c;
  CHECK(read(fds[0], &c, 1) == 1 && c == 'x', "read via dup'd writer");
  close(extra);
  CHECK(read(fds[0], &c, 1) == 0, "EOF after last writer closed");
  close(fds[0]);

  /* No readers + SIGPIPE ignored: EPIPE. */
  CHECK(pipe(fds) == 0, "pipe");
  close(fds[0]);
  signal(SIGPIPE, SIG_IGN);
  CHECK_ERR(write(fds[1], "x", 1), EPIPE, "write with no readers");
  signal(SIGPIPE, SIG_DFL);
  close(fds[1]);
  dprintf(1, "pipe: EPIPE without readers\n");

  /* No readers + default action: the writer dies of SIGPIPE. The child
   * writes only after the parent has closed its read end (a second pipe
   * says so); otherwise, on a host with real parallelism, the write could
   * find the parent's read end still open. */
  int sync[2];
  CHECK(pipe(fds) == 0 && pipe(sync) == 0, "pipe");
  pid = fork();
  CHECK(pid >= 0, "fork");
  if (pid == 0) {
    close(fds[0]);
    close(sync[1]);
    char go;
    if (read(sync[0], &go, 1) != 1) _exit(2);
    write(fds[1], "x", 1);
    _exit(0);
  }
  close(fds[0]);
  close(fds[1]);
  close(sync[0]);
  CHECK(write(sync[1], "g", 1) == 1, "release the writer");
  close(sync[1]);
  st = wait_for(pid);
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "writer killed by SIGPIPE");
  dprintf(1, "pipe: SIGPIPE kills a writer without readers\n");
  return 0;
}
