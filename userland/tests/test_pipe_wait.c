/* test_pipe_wait: reads and writes that wait on a pipe. A reader parked on
 * an empty pipe gets the bytes a later write brings (the rest of its buffer
 * untouched), and of several parked reader threads only one gets each
 * message; the last writer's close ends a parked read with end of file; a
 * handler ends a parked read with EINTR, or with SA_RESTART the read goes on
 * and gets the data. A writer parked on a full pipe goes on when a reader
 * makes room (a PIPE_BUF write whole, never split) and gets EPIPE when the
 * last reader goes. poll wakes on the bytes; O_NONBLOCK answers EAGAIN; a
 * bad buffer EFAULT with the bytes left in the pipe, also when the buffer of
 * a parked read is unmapped before the bytes come. The pauses (20 ms
 * sleeps) let the other side park first; the results do not depend on them. */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <signal.h>
#include <time.h>

#include "check.h"

#define CAPACITY 65536
#define ATOMIC 4096

static void pause_a_little(void) {
  struct timespec ts = {0, 20000000};
  nanosleep(&ts, NULL);
}

static void expect_exit0(pid_t pid, const char *what) {
  int st = wait_for(pid);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, what);
}

/* Fills a pipe up to `leave` (< PIPE_BUF) free bytes, without waiting. */
static void fill(int fd, int leave) {
  static char junk[CAPACITY];
  int flags = fcntl(fd, F_GETFL);
  CHECK(fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0, "O_NONBLOCK");
  CHECK(write(fd, junk, CAPACITY - leave) == CAPACITY - leave, "fill");
  CHECK_ERR(write(fd, junk, leave + 1), EAGAIN, "no room answers EAGAIN without waiting");
  CHECK(fcntl(fd, F_SETFL, flags) == 0, "blocking again");
}

/* A new pipe in fds (filled up to `leave` free bytes when leave >= 0),
 * then fork: 0 in the child, the child's pid in the parent. */
static pid_t pipe_then_fork(int fds[2], int leave) {
  CHECK(pipe(fds) == 0, "pipe");
  if (leave >= 0) fill(fds[1], leave);
  pid_t pid = fork();
  CHECK(pid >= 0, "fork");
  return pid;
}

/* 1: a reader parked on an empty pipe gets a later write's bytes. */
static void parked_reader(void) {
  int fds[2];
  pid_t pid = pipe_then_fork(fds, -1);
  if (pid == 0) {
    close(fds[1]);
    char buf[64];
    memset(buf, 'z', sizeof buf);
    ssize_t n = read(fds[0], buf, sizeof buf);
    _exit(n == 5 && memcmp(buf, "hello", 5) == 0 && buf[5] == 'z' ? 0 : 1);
  }
  close(fds[0]);
  pause_a_little();
  CHECK(write(fds[1], "hello", 5) == 5, "write to the parked reader");
  expect_exit0(pid, "the parked reader got the bytes");
  close(fds[1]);
  dprintf(1, "pipe wait: parked reader gets the bytes\n");
}

/* 2: three reader threads parked on one pipe: each message goes to one. */
static int shared_rd;

static void *read_one(void *arg) {
  char *msg = arg;
  return read(shared_rd, msg, 4) == 4 ? msg : NULL;
}

static void reader_threads(void) {
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe");
  shared_rd = fds[0];
  static char got[3][5];
  pthread_t th[3];
  for (int i = 0; i < 3; i++) CHECK(pthread_create(&th[i], NULL, read_one, got[i]) == 0, "thread");
  pause_a_little();
  const char *msgs[3] = {"aaaa", "bbbb", "cccc"};
  for (int i = 0; i < 3; i++) {
    CHECK(write(fds[1], msgs[i], 4) == 4, "write a message");
    pause_a_little();
  }
  int seen = 0;
  for (int i = 0; i < 3; i++) {
    void *r;
    CHECK(pthread_join(th[i], &r) == 0 && r == got[i], "a reader thread read 4 bytes");
    CHECK(got[i][0] >= 'a' && got[i][0] <= 'c' && memcmp(got[i], msgs[got[i][0] - 'a'], 4) == 0,
          "a whole message");
    seen |= 1 << (got[i][0] - 'a');
  }
  CHECK(seen == 7, "each message went to one reader");
  close(fds[0]);
  close(fds[1]);
  dprintf(1, "pipe wait: one reader thread per message\n");
}

/* 3: the last writer's close ends a parked read with end of file. */
static void parked_eof(void) {
  int fds[2];
  pid_t pid = pipe_then_fork(fds, -1);
  if (pid == 0) {
    close(fds[1]);
    char c;
    _exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
  }
  close(fds[0]);
  pause_a_little();
  close(fds[1]);
  expect_exit0(pid, "the parked read saw end of file");
  dprintf(1, "pipe wait: end of file for a parked reader\n");
}

static volatile int got_usr1;
static void on_usr1(int sig) { (void)sig; got_usr1++; }

/* 4: a handler ends a parked read with EINTR, or (SA_RESTART) it goes on. */
static void parked_signal(int restart) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = restart ? SA_RESTART : 0;
  CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction");
  int fds[2];
  pid_t pid = pipe_then_fork(fds, -1);
  if (pid == 0) {
    pause_a_little();
    kill(getppid(), SIGUSR1);
    pause_a_little();
    write(fds[1], "data", 4);
    _exit(0);
  }
  got_usr1 = 0;
  char buf[8];
  if (restart) {
    CHECK(read(fds[0], buf, sizeof buf) == 4 && memcmp(buf, "data", 4) == 0,
          "with SA_RESTART the read goes on and gets the data");
  } else {
    CHECK_ERR(read(fds[0], buf, sizeof buf), EINTR, "a handled signal ends the read");
  }
  CHECK(got_usr1 == 1, "the handler ran");
  expect_exit0(pid, "signaller");
  close(fds[0]);
  close(fds[1]);
}

/* 5: a writer parked on a full pipe: an atomic write goes in whole once room is made. */
static void parked_writer(void) {
  int fds[2];
  pid_t pid = pipe_then_fork(fds, 100);
  if (pid == 0) {
    close(fds[0]);
    static char block[ATOMIC];
    memset(block, 'w', sizeof block);
    _exit(write(fds[1], block, sizeof block) == ATOMIC ? 0 : 1);
  }
  close(fds[1]);
  pause_a_little();
  /* Room for less than the whole write: it must stay parked. */
  static char buf[CAPACITY];
  CHECK(read(fds[0], buf, 1000) == 1000, "make some room");
  pause_a_little();
  int pending;
  /* The pipe still holds exactly what was left: nothing of the atomic write went in. */
  CHECK(ioctl(fds[0], FIONREAD, &pending) == 0 && pending == CAPACITY - 100 - 1000,
        "an atomic write is not split");
  CHECK(read(fds[0], buf, CAPACITY - 1100) == CAPACITY - 1100, "make the room");
  expect_exit0(pid, "the parked writer wrote its whole block");
  CHECK(read(fds[0], buf, sizeof buf) == ATOMIC, "the block in one piece");
  for (int i = 0; i < ATOMIC; i++) CHECK(buf[i] == 'w', "the block's bytes");
  CHECK(read(fds[0], buf, 1) == 0, "then end of file");
  close(fds[0]);
  dprintf(1, "pipe wait: parked writer, PIPE_BUF write whole\n");
}

/* 6: a writer parked on a full pipe gets EPIPE when the last reader goes. */
static void parked_epipe(void) {
  CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR, "ignore SIGPIPE");
  int fds[2];
  pid_t pid = pipe_then_fork(fds, 0);
  if (pid == 0) {
    close(fds[1]);
    pause_a_little();
    _exit(0); /* the last read end goes */
  }
  close(fds[0]);
  CHECK_ERR(write(fds[1], "x", 1), EPIPE, "a parked writer gets EPIPE");
  expect_exit0(pid, "reader");
  close(fds[1]);
  CHECK(signal(SIGPIPE, SIG_DFL) != SIG_ERR, "default SIGPIPE");
  dprintf(1, "pipe wait: EPIPE for a parked writer\n");
}

/* 7: poll wakes on the bytes; the read after it takes them. */
static void poll_wakes(void) {
  int fds[2];
  pid_t pid = pipe_then_fork(fds, -1);
  if (pid == 0) {
    pause_a_little();
    write(fds[1], "p", 1);
    _exit(0);
  }
  struct pollfd pfd = {fds[0], POLLIN, 0};
  CHECK(poll(&pfd, 1, -1) == 1 && (pfd.revents & POLLIN), "poll wakes on the bytes");
  char c;
  CHECK(read(fds[0], &c, 1) == 1 && c == 'p', "the bytes are there");
  expect_exit0(pid, "writer");
  close(fds[0]);
  close(fds[1]);
  dprintf(1, "pipe wait: poll wakes on the bytes\n");
}

/* 8: O_NONBLOCK and a bad buffer: nothing waits, nothing is lost. */
static void no_wait(void) {
  int fds[2];
  CHECK(pipe2(fds, O_NONBLOCK) == 0, "pipe2");
  char c;
  CHECK_ERR(read(fds[0], &c, 1), EAGAIN, "an empty non-blocking pipe answers EAGAIN");
  CHECK(write(fds[1], "k", 1) == 1, "write");
  CHECK_ERR(read(fds[0], (char *)8, 1), EFAULT, "a bad buffer answers EFAULT");
  CHECK(read(fds[0], &c, 1) == 1 && c == 'k', "the byte stayed in the pipe");
  close(fds[0]);
  close(fds[1]);
  dprintf(1, "pipe wait: O_NONBLOCK and EFAULT do not wait\n");
}

/* 9: a parked reader thread whose buffer is unmapped before the bytes come:
 * EFAULT, and the bytes stay in the pipe. */
static char *gone_buf;
static int gone_errno;

static void *read_into_gone(void *arg) {
  (void)arg;
  ssize_t n = read(shared_rd, gone_buf, 16);
  gone_errno = errno;
  return (void *)n;
}

static void parked_efault(void) {
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe");
  shared_rd = fds[0];
  gone_buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(gone_buf != MAP_FAILED, "mmap");
  pthread_t th;
  CHECK(pthread_create(&th, NULL, read_into_gone, NULL) == 0, "thread");
  pause_a_little();
  CHECK(munmap(gone_buf, 4096) == 0, "munmap");
  CHECK(write(fds[1], "zz", 2) == 2, "write");
  void *r;
  CHECK(pthread_join(th, &r) == 0, "join");
  CHECK((long)r == -1 && gone_errno == EFAULT, "the parked read answers EFAULT");
  char buf[4];
  CHECK(read(fds[0], buf, sizeof buf) == 2 && memcmp(buf, "zz", 2) == 0, "the bytes stayed");
  close(fds[0]);
  close(fds[1]);
  dprintf(1, "pipe wait: EFAULT for a parked read whose buffer went\n");
}

int main(void) {
  parked_reader();
  reader_threads();
  parked_eof();
  parked_signal(0);
  parked_signal(1);
  dprintf(1, "pipe wait: EINTR, or SA_RESTART and the data\n");
  parked_writer();
  parked_epipe();
  poll_wakes();
  no_wait();
  parked_efault();
  return 0;
}
