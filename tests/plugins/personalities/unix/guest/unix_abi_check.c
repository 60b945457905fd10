/* unix_abi_check DIR: exercises the Linux rv32 system-call ABI with raw
 * ecalls and prints one line per check. tests/plugins/personalities/unix/abi_check_test.ts runs it
 * under qemu-riscv32 (the reference: the host Linux kernel) and on Strata
 * and requires identical output. Only behaviour both must share is printed
 * (no host names, no timings, no HWCAP). */
#include <stdio.h>
#include <string.h>

typedef unsigned long ul;

#include "raw_syscall.h"
#define S0(n) rsys(n, 0, 0, 0, 0, 0, 0)
#define S1(n, a) rsys(n, (long)(a), 0, 0, 0, 0, 0)
#define S2(n, a, b) rsys(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define S3(n, a, b, c) rsys(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define S4(n, a, b, c, d) rsys(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define S5(n, a, b, c, d, e) rsys(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define S6(n, a, b, c, d, e, f) \
  rsys(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

enum {
  NR_getcwd = 17, NR_dup = 23, NR_dup3 = 24, NR_fcntl64 = 25, NR_ioctl = 29, NR_mkdirat = 34,
  NR_unlinkat = 35, NR_openat = 56, NR_close = 57, NR_pipe2 = 59, NR_getdents64 = 61,
  NR_llseek = 62, NR_read = 63, NR_write = 64, NR_readv = 65, NR_writev = 66, NR_exit = 93, NR_exit_group = 94, NR_waitid = 95, NR_set_tid_address = 96,
  NR_nanosleep = 101, NR_clock_gettime = 113, NR_sched_yield = 124, NR_kill = 129,
  NR_tgkill = 131, NR_sigaltstack = 132, NR_rt_sigsuspend = 133, NR_rt_sigaction = 134, NR_rt_sigprocmask = 135,
  NR_uname = 160, NR_getpid = 172, NR_getppid = 173, NR_getuid = 174, NR_gettid = 178,
  NR_munmap = 215, NR_clone = 220, NR_execve = 221, NR_mmap2 = 222, NR_mprotect = 226,
  NR_wait4 = 260, NR_getrandom = 278, NR_statx = 291, NR_clock_gettime64 = 403,
  NR_utimensat64 = 412,
  NR_clock_nanosleep64 = 407, NR_ppoll64 = 414, NR_pselect64 = 413,
};
#define AT_FDCWD (-100)
#define SIGCHLD 17
#define SIGUSR1 10
#define SIGUSR2 12
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13
#define SA_SIGINFO 4
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

static void check(const char *what, long got) { printf("%s: %ld\n", what, got); }

struct ksigaction {
  ul handler, flags, mask[2];
};
struct kinfo {
  int signo, err, code;
  int f[29];
};

static volatile int hits, last_code, last_pid, blocked_in_handler, seen_pc_ok;
static volatile ul last_addr;

static ul blocked_now(void) {
  ul m[2];
  S4(NR_rt_sigprocmask, 0, 0, m, 8);
  return m[0];
}

static void on_sig(int sig, struct kinfo *si, void *uc) {
  (void)uc;
  hits++;
  last_code = si->code;
  last_pid = si->f[0];
  blocked_in_handler = (blocked_now() >> (sig - 1)) & 1;
}

static void on_segv(int sig, struct kinfo *si, void *uc) {
  (void)sig;
  hits++;
  last_code = si->code;
  last_addr = (ul)si->f[0];
  /* uc_mcontext.sc_regs.pc sits 160 bytes into the riscv ucontext; skip the
   * faulting store: 4 bytes, or 2 for a compressed one (low bits not 11). */
  ul *pc = (ul *)((char *)uc + 160);
  seen_pc_ok = *pc != 0;
  *pc += (*(unsigned short *)*pc & 3) == 3 ? 4 : 2;
}

static long set_action(int sig, void *fn, ul flags, ul mask) {
  struct ksigaction a = {(ul)fn, flags | SA_SIGINFO, {mask, 0}};
  return S4(NR_rt_sigaction, sig, &a, 0, 8);
}

static void sleep_ms(long ms) {
  long long ts[2] = {0, ms * 1000000LL};
  S4(NR_clock_nanosleep64, 1, 0, ts, 0);
}

static char buf[4096];

static void files(const char *dir) {
  char path[256];
  snprintf(path, sizeof path, "%s/f.txt", dir);
  int fd = (int)S4(NR_openat, AT_FDCWD, path, 0100 | 02 | 01000 | 02000, 0644);
  check("openat creat", fd >= 0);
  check("write", S3(NR_write, fd, "hello world", 11));
  long long off = -1;
  check("llseek", S5(NR_llseek, fd, 0, 6, &off, 0));
  check("llseek result", (long)off);
  check("read", S3(NR_read, fd, buf, 100));
  check("read eof", S3(NR_read, fd, buf, 100));
  check("getfl", S3(NR_fcntl64, fd, 3, 0) & (03 | 02000 | 04000));
  check("setfl nonblock", S3(NR_fcntl64, fd, 4, 04000));
  check("getfl2", S3(NR_fcntl64, fd, 3, 0) & (03 | 02000 | 04000));
  check("getfd", S3(NR_fcntl64, fd, 1, 0));
  check("dupfd>=50", S3(NR_fcntl64, fd, 0, 50) >= 50);
  check("dup3 same", S3(NR_dup3, fd, fd, 0));
  check("dup3 badflag", S3(NR_dup3, fd, 20, 1));
  check("dup3", S3(NR_dup3, fd, 20, 02000000));
  check("getfd cloexec", S3(NR_fcntl64, 20, 1, 0));
  S5(NR_llseek, fd, 0, 0, &off, 0); /* not at EOF, so the bad buffer matters */
  check("read bad buf", S3(NR_read, fd, 16, 1));
  check("write bad buf", S3(NR_write, fd, 16, 1));
  check("ioctl tcgets file", S3(NR_ioctl, fd, 0x5401, buf));
  unsigned char sx[256];
  memset(sx, 0xff, sizeof sx);
  check("statx", S5(NR_statx, AT_FDCWD, path, 0, 0x7ff, sx));
  check("statx size", (long)*(unsigned long long *)(sx + 40));
  check("statx type", *(unsigned short *)(sx + 28) & 0170000);
  check("statx nlink", *(unsigned *)(sx + 16));
  check("statx empty path", S5(NR_statx, fd, "", 0x1000, 0x7ff, sx));
  check("statx empty no flag", S5(NR_statx, fd, "", 0, 0x7ff, sx));
  check("statx bad flags", S5(NR_statx, AT_FDCWD, path, 0x10000000, 0x7ff, sx));
  check("statx bad buf", S5(NR_statx, AT_FDCWD, path, 0, 0x7ff, 16));
  check("statx missing", S5(NR_statx, AT_FDCWD, "/nonexistent/x", 0, 0x7ff, sx));
  check("openat excl", S4(NR_openat, AT_FDCWD, path, 0100 | 0200 | 01, 0644));
  check("openat dir on file", S4(NR_openat, AT_FDCWD, path, 0200000, 0));
  check("openat bad path", S4(NR_openat, AT_FDCWD, 16, 0, 0));
  check("close", S1(NR_close, fd));
  check("close again", S1(NR_close, fd));
  snprintf(path, sizeof path, "%s/sub", dir);
  check("mkdirat", S3(NR_mkdirat, AT_FDCWD, path, 0755));
  check("mkdirat exist", S3(NR_mkdirat, AT_FDCWD, path, 0755));
  snprintf(path, sizeof path, "%s/sub/g", dir);
  S1(NR_close, S4(NR_openat, AT_FDCWD, path, 0100 | 01, 0644));
  snprintf(path, sizeof path, "%s/sub", dir);
  check("unlinkat dir", S3(NR_unlinkat, AT_FDCWD, path, 0));
  check("rmdir nonempty", S3(NR_unlinkat, AT_FDCWD, path, 0x200));
  int dfd = (int)S4(NR_openat, AT_FDCWD, path, 0200000, 0);
  check("openat dir", dfd >= 0);
  check("unlinkat relative", S3(NR_unlinkat, dfd, "g", 0));
  check("getdents tiny", S3(NR_getdents64, dfd, buf, 8));
  long n = S3(NR_getdents64, dfd, buf, sizeof buf);
  int count = 0;
  for (long o = 0; o < n; o += *(unsigned short *)(buf + o + 16)) count++;
  check("getdents entries", count);
  check("getdents end", S3(NR_getdents64, dfd, buf, sizeof buf));
  S1(NR_close, dfd);
  check("rmdir", S3(NR_unlinkat, AT_FDCWD, path, 0x200));
  snprintf(path, sizeof path, "%s/notelf", dir);
  int nf = (int)S4(NR_openat, AT_FDCWD, path, 0100 | 01, 0755);
  S3(NR_write, nf, "just text\n", 10);
  S1(NR_close, nf);
  char *av[] = {path, 0};
  check("execve not elf", S3(NR_execve, path, av, 0));
  check("execve dir", S3(NR_execve, dir, av, 0));
  check("getcwd small", S2(NR_getcwd, buf, 1));
  check("getcwd len>1", S2(NR_getcwd, buf, sizeof buf) > 1);
}

/* utimensat_time64: explicit, omitted and pre-1970 times read back through
 * statx; a NULL path sets the open file; argument errors. */
static void utimes(const char *dir) {
  char path[256];
  snprintf(path, sizeof path, "%s/times", dir);
  int fd = (int)S4(NR_openat, AT_FDCWD, path, 0100 | 01, 0644);
  unsigned char sx[256];
  long long ts[4] = {1000000000, 5, 1700000000, 123456789};
  check("utimensat set", S4(NR_utimensat64, AT_FDCWD, path, ts, 0));
  S5(NR_statx, AT_FDCWD, path, 0, 0x7ff, sx);
  check("atime sec", (long)*(long long *)(sx + 64));
  check("atime nsec", *(unsigned *)(sx + 72));
  check("mtime sec", (long)*(long long *)(sx + 112));
  check("mtime nsec", *(unsigned *)(sx + 120));
  long long keep_a[4] = {0, (1L << 30) - 2, -100, 7};
  check("utimensat omit atime", S4(NR_utimensat64, AT_FDCWD, path, keep_a, 0));
  S5(NR_statx, AT_FDCWD, path, 0, 0x7ff, sx);
  check("atime kept", (long)*(long long *)(sx + 64));
  check("mtime before 1970 sec", (long)*(long long *)(sx + 112));
  check("mtime before 1970 nsec", *(unsigned *)(sx + 120));
  long long by_fd[4] = {42, 0, 43, 0};
  check("utimensat NULL path", S4(NR_utimensat64, fd, 0, by_fd, 0));
  S5(NR_statx, AT_FDCWD, path, 0, 0x7ff, sx);
  check("fd atime", (long)*(long long *)(sx + 64));
  long long omit[4] = {0, (1L << 30) - 2, 0, (1L << 30) - 2};
  check("utimensat both omitted, missing", S4(NR_utimensat64, AT_FDCWD, "/nonexistent/x", omit, 0));
  long long bad_ns[4] = {0, 1000000000, 0, 0};
  check("utimensat bad nsec", S4(NR_utimensat64, AT_FDCWD, path, bad_ns, 0));
  check("utimensat bad flags", S4(NR_utimensat64, AT_FDCWD, path, 0, 0x200));
  check("utimensat NULL path cwd", S4(NR_utimensat64, AT_FDCWD, 0, 0, 0));
  check("utimensat NULL path bad fd", S4(NR_utimensat64, 99, 0, 0, 0));
  check("utimensat bad times", S4(NR_utimensat64, AT_FDCWD, path, 16, 0));
  check("utimensat missing", S4(NR_utimensat64, AT_FDCWD, "/nonexistent/x", 0, 0));
  check("utimensat now", S4(NR_utimensat64, AT_FDCWD, path, 0, 0));
  S5(NR_statx, AT_FDCWD, path, 0, 0x7ff, sx);
  check("now is after 2020", (long)(*(long long *)(sx + 112) > 1577836800));
  S1(NR_close, fd);
}

static void pipes(void) {
  int p[2];
  check("pipe2 badflag", S2(NR_pipe2, p, 1));
  check("pipe2", S2(NR_pipe2, p, 04000));
  check("pipe empty nonblock", S3(NR_read, p[0], buf, 10));
  check("llseek pipe", S5(NR_llseek, p[0], 0, 0, buf, 0));
  char a[] = "ab", b[] = "cde";
  ul iov[4] = {(ul)a, 2, (ul)b, 3};
  check("writev", S3(NR_writev, p[1], iov, 2));
  int avail = -1;
  check("fionread", S3(NR_ioctl, p[0], 0x541b, &avail));
  check("fionread value", avail);
  char x[4] = {0}, y[8] = {0};
  ul iov2[4] = {(ul)x, 1, (ul)y, 8};
  check("readv", S3(NR_readv, p[0], iov2, 2));
  check("readv pieces", x[0] == 'a' && strcmp(y, "bcde") == 0);
  check("writev bad count", S3(NR_writev, p[1], iov, -1));
  struct ksigaction ign = {1, 0, {0, 0}};
  S4(NR_rt_sigaction, SIGPIPE, &ign, 0, 8);
  S1(NR_close, p[0]);
  check("write no reader", S3(NR_write, p[1], "z", 1));
  S1(NR_close, p[1]);
}

struct kpollfd {
  int fd;
  short events, revents;
};

static void polls(void) {
  int p[2];
  S2(NR_pipe2, p, 0);
  long long zero[2] = {0, 0}, short_wait[2] = {0, 20000000};
  struct kpollfd f[3] = {{p[0], 1, 77}, {-1, 1, 77}, {p[1], 4, 77}};
  check("ppoll write end ready", S5(NR_ppoll64, &f[2], 1, zero, 0, 0));
  check("ppoll POLLOUT", f[2].revents);
  check("ppoll empty", S5(NR_ppoll64, f, 2, zero, 0, 0));
  check("ppoll empty revents", f[0].revents * 100 + f[1].revents);
  check("ppoll timeout", S5(NR_ppoll64, f, 1, short_wait, 0, 0));
  S3(NR_write, p[1], "x", 1);
  check("ppoll data", S5(NR_ppoll64, f, 3, zero, 0, 0));
  check("ppoll data revents", f[0].revents * 100 + f[2].revents);
  S3(NR_read, p[0], buf, 1);
  struct kpollfd bad = {99, 1, 0};
  check("ppoll bad fd", S5(NR_ppoll64, &bad, 1, zero, 0, 0));
  check("ppoll POLLNVAL", bad.revents);
  check("ppoll bad ptr", S5(NR_ppoll64, 16, 1, zero, 0, 0));
  ul m[2] = {0, 0};
  check("ppoll bad sigsetsize", S5(NR_ppoll64, f, 1, zero, m, 4));
  long long bad_ts[2] = {0, -1};
  check("ppoll bad timeout", S5(NR_ppoll64, f, 1, bad_ts, 0, 0));
  long pid = S5(NR_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    sleep_ms(150);
    S3(NR_write, p[1], "y", 1);
    S1(NR_exit_group, 0);
  }
  /* A blocked, pending signal let through by ppoll's mask ends it with EINTR. */
  set_action(SIGUSR2, on_sig, 0, 0);
  ul blk[2] = {1UL << (SIGUSR2 - 1), 0}, open_mask[2] = {0, 0};
  S4(NR_rt_sigprocmask, 0, blk, 0, 8);
  S2(NR_kill, S0(NR_getpid), SIGUSR2);
  hits = 0;
  check("ppoll sigmask EINTR", S5(NR_ppoll64, f, 1, 0, open_mask, 8));
  check("ppoll sigmask handler", hits);
  check("ppoll mask back", (long)(blocked_now() == blk[0]));
  S4(NR_rt_sigprocmask, 1, blk, 0, 8);
  check("ppoll waits for data", S5(NR_ppoll64, f, 1, 0, 0, 0));
  check("ppoll woken revents", f[0].revents);
  int info[32];
  S5(NR_waitid, 1, pid, info, 4, 0);
  S1(NR_close, p[0]);
  S1(NR_close, p[1]);
}

/* Hang-ups and errors: what poll and select report once the other end of a
 * pipe is gone, and when a full pipe's write end becomes writable. */
static void poll_hangups(void) {
  int p[2];
  long long zero[2] = {0, 0};
  S2(NR_pipe2, p, 0);
  S3(NR_write, p[1], "x", 1);
  S1(NR_close, p[1]);
  struct kpollfd r = {p[0], 1, 77};
  check("ppoll data then hang-up", S5(NR_ppoll64, &r, 1, zero, 0, 0));
  check("ppoll POLLIN|POLLHUP", r.revents);
  S3(NR_read, p[0], buf, 1);
  r.revents = 77;
  check("ppoll hang-up only", S5(NR_ppoll64, &r, 1, zero, 0, 0));
  check("ppoll POLLHUP", r.revents);
  r.events = 0;
  r.revents = 77;
  check("ppoll POLLHUP unasked", S5(NR_ppoll64, &r, 1, zero, 0, 0) * 100 + r.revents);
  ul rs[2] = {1UL << p[0], 0};
  check("pselect hang-up is readable", S6(NR_pselect64, p[0] + 1, rs, 0, 0, zero, 0));
  S1(NR_close, p[0]);

  S2(NR_pipe2, p, 04000 /* O_NONBLOCK */);
  long total = 0, n;
  while ((n = S3(NR_write, p[1], buf, sizeof buf)) > 0) total += n;
  check("pipe filled", total);
  check("filling ends with EAGAIN", n);
  struct kpollfd w = {p[1], 4, 77};
  check("ppoll full pipe", S5(NR_ppoll64, &w, 1, zero, 0, 0) * 100 + w.revents);
  S3(NR_read, p[0], buf, 1);
  check("ppoll one byte free", S5(NR_ppoll64, &w, 1, zero, 0, 0) * 100 + w.revents);
  S3(NR_read, p[0], buf, sizeof buf - 1);
  check("ppoll a page free", S5(NR_ppoll64, &w, 1, zero, 0, 0) * 100 + w.revents);
  ul ws[2] = {1UL << p[1], 0};
  check("pselect a page free", S6(NR_pselect64, p[1] + 1, 0, ws, 0, zero, 0));
  S1(NR_close, p[0]);
  w.revents = 77;
  check("ppoll no reader", S5(NR_ppoll64, &w, 1, zero, 0, 0) * 100 + w.revents);
  S1(NR_close, p[1]);
}

static void selects(void) {
  int p[2];
  S2(NR_pipe2, p, 0);
  ul rs[2], ws[2];
  int n = p[1] + 1;
  long long zero[2] = {0, 0}, wait_ts[2] = {0, 30000000};
  rs[0] = 1UL << p[0];
  check("pselect empty", S6(NR_pselect64, n, rs, 0, 0, zero, 0));
  check("pselect empty set", (long)rs[0]);
  rs[0] = 1UL << p[0];
  check("pselect timeout", S6(NR_pselect64, n, rs, 0, 0, wait_ts, 0));
  check("pselect timeout left", (long)(wait_ts[0] * 1000 + wait_ts[1] / 1000000));
  S3(NR_write, p[1], "x", 1);
  rs[0] = 1UL << p[0];
  ws[0] = 1UL << p[1];
  check("pselect ready", S6(NR_pselect64, n, rs, ws, 0, zero, 0));
  check("pselect read bit", (long)(rs[0] == (1UL << p[0])));
  check("pselect write bit", (long)(ws[0] == (1UL << p[1])));
  rs[0] = 1UL << 30;
  check("pselect bad fd", S6(NR_pselect64, 31, rs, 0, 0, zero, 0));
  check("pselect bad nfds", S6(NR_pselect64, -1, 0, 0, 0, zero, 0));
  check("pselect bad set ptr", S6(NR_pselect64, n, 16, 0, 0, zero, 0));
  S1(NR_close, p[0]);
  S1(NR_close, p[1]);
}

static void signals(void) {
  check("sigaction SIGKILL", set_action(SIGKILL, on_sig, 0, 0));
  check("sigaction bad size", S4(NR_rt_sigaction, SIGUSR1, 0, 0, 4));
  check("sigaction 65", S4(NR_rt_sigaction, 65, 0, 0, 8));
  check("sigaction", set_action(SIGUSR1, on_sig, 0, 1UL << (SIGUSR2 - 1)));
  struct ksigaction old;
  S4(NR_rt_sigaction, SIGUSR1, 0, &old, 8);
  check("sigaction readback flags", (long)(old.flags & 0xff));
  hits = 0;
  long me = S0(NR_getpid);
  check("kill self", S2(NR_kill, me, SIGUSR1));
  check("handler ran", hits);
  check("si_code user", last_code);
  check("si_pid is me", last_pid == me);
  check("blocked in handler", blocked_in_handler);
  check("mask restored", (long)blocked_now());
  set_action(SIGUSR1, on_sig, SA_NODEFER, 0);
  S3(NR_tgkill, me, S0(NR_gettid), SIGUSR1);
  check("nodefer not blocked", blocked_in_handler);
  check("tkill code", last_code);
  set_action(SIGUSR1, on_sig, SA_RESETHAND, 0);
  S2(NR_kill, me, SIGUSR1);
  S4(NR_rt_sigaction, SIGUSR1, 0, &old, 8);
  check("resethand -> dfl", (long)old.handler);
  check("kill bad sig", S2(NR_kill, me, 65));
  check("kill no such pid", S2(NR_kill, 30000, 0));
  check("sigprocmask bad how", S4(NR_rt_sigprocmask, 9, &old.mask, 0, 8));
  check("sigprocmask bad size", S4(NR_rt_sigprocmask, 0, &old.mask, 0, 4));
  /* A blocked signal stays pending until unblocked. */
  set_action(SIGUSR2, on_sig, 0, 0);
  ul m[2] = {1UL << (SIGUSR2 - 1), 0};
  S4(NR_rt_sigprocmask, 0, m, 0, 8);
  hits = 0;
  S2(NR_kill, me, SIGUSR2);
  check("blocked not delivered", hits);
  S4(NR_rt_sigprocmask, 1, m, 0, 8);
  check("delivered on unblock", hits);
}

struct kstack {
  ul sp;
  int flags;
  ul size;
};
static char altstk[16384] __attribute__((aligned(16)));
static volatile int alt_on, alt_flags, alt_change;

static void on_alt(int sig, struct kinfo *si, void *uc) {
  (void)sig;
  (void)si;
  char here;
  alt_on = &here >= altstk && &here < altstk + sizeof altstk;
  struct kstack o, n = {(ul)altstk, 0, sizeof altstk};
  S2(NR_sigaltstack, 0, &o);
  alt_flags = o.flags;
  alt_change = (int)S2(NR_sigaltstack, &n, 0);
  /* uc_stack as the frame recorded it: flags 0 (the thread was not on it) */
  alt_flags = alt_flags * 10 + *(int *)((char *)uc + 12);
}

static void altstack(void) {
  struct kstack o, n = {(ul)altstk, 0, 1024};
  check("sigaltstack query", S2(NR_sigaltstack, 0, &o));
  check("sigaltstack initially disabled", o.flags);
  check("sigaltstack too small", S2(NR_sigaltstack, &n, 0));
  n.size = sizeof altstk;
  n.flags = 5;
  check("sigaltstack bad flags", S2(NR_sigaltstack, &n, 0));
  n.flags = 0;
  check("sigaltstack set", S2(NR_sigaltstack, &n, 0));
  S2(NR_sigaltstack, 0, &o);
  check("sigaltstack size back", (long)o.size);
  check("sigaltstack flags off stack", o.flags);
  set_action(SIGUSR1, on_alt, 0x08000000 /* SA_ONSTACK */, 0);
  S2(NR_kill, S0(NR_getpid), SIGUSR1);
  check("handler on alt stack", alt_on);
  check("flags in handler, uc_stack", alt_flags);
  check("change while on it", alt_change);
  set_action(SIGUSR1, on_alt, 0, 0);
  S2(NR_kill, S0(NR_getpid), SIGUSR1);
  check("no SA_ONSTACK: normal stack", alt_on);
  n.flags = 2;
  check("sigaltstack disable", S2(NR_sigaltstack, &n, 0));
}

static void faults(void) {
  set_action(SIGSEGV, on_segv, 0, 0);
  long a = S6(NR_mmap2, 0, 8192, 3, 0x22, -1, 0);
  check("mmap2 aligned", (a & 4095) == 0 && a > 0);
  volatile int *p = (volatile int *)a;
  p[0] = 42;
  p[1024] = 43;
  check("mmap2 rw", p[0] + p[1024]);
  check("mmap2 len 0", S6(NR_mmap2, 0, 0, 3, 0x22, -1, 0));
  check("mmap2 fixed unaligned", S6(NR_mmap2, a + 1, 4096, 3, 0x32, -1, 0));
  check("mmap2 no type", S6(NR_mmap2, 0, 4096, 3, 0x20, -1, 0));
  check("mprotect ro", S3(NR_mprotect, a, 4096, 1));
  hits = 0;
  p[0] = 7; /* faults: SEGV_ACCERR, the handler skips the store */
  check("accerr handled", hits);
  check("accerr code", last_code);
  check("accerr addr", last_addr == (ul)a);
  check("accerr pc seen", seen_pc_ok);
  check("value kept", p[0]);
  check("munmap unaligned", S2(NR_munmap, a + 4, 4096));
  check("munmap", S2(NR_munmap, a, 8192));
  hits = 0;
  p[1024] = 1; /* unmapped: SEGV_MAPERR */
  check("maperr handled", hits);
  check("maperr code", last_code);
  check("maperr addr", last_addr == (ul)(a + 4096));
}

static long child_pid;

static long waitinfo(int idtype, long id, int options, struct kinfo *si) {
  memset(si, 0x55, sizeof *si);
  return S5(NR_waitid, idtype, id, si, options, 0);
}

static void processes(void) {
  struct kinfo si;
  check("wait no child", waitinfo(0, 0, 4, &si));
  long pid = S5(NR_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) S1(NR_exit_group, 7);
  check("waitid exited", waitinfo(1, pid, 4, &si));
  check("waitid signo", si.signo);
  check("waitid code", si.code);
  check("waitid pid ok", si.f[0] == pid);
  check("waitid status", si.f[2]);
  pid = S5(NR_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    S2(NR_kill, S0(NR_getpid), SIGKILL);
    S1(NR_exit_group, 1);
  }
  waitinfo(0, 0, 4, &si);
  check("killed code", si.code);
  check("killed status", si.f[2]);
  int p[2];
  S2(NR_pipe2, p, 0);
  pid = S5(NR_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    S1(NR_close, p[1]);
    S3(NR_read, p[0], buf, 1);
    S1(NR_exit_group, 0);
  }
  S1(NR_close, p[0]);
  check("wnohang", waitinfo(1, pid, 4 | 1, &si));
  check("wnohang pid", si.f[0]);
  check("wnohang signo", si.signo);
  S1(NR_close, p[1]);
  check("waitid after eof", waitinfo(1, pid, 4, &si));
  check("waitid bad options", waitinfo(0, 0, 0, &si));
  check("waitid bad idtype", waitinfo(7, 0, 4, &si));
  check("clone bad signal", S5(NR_clone, 15, 0, 0, 0, 0));
  check("execve missing", S3(NR_execve, "/nonexistent/prog", 0, 0));
  check("getppid>0", S0(NR_getppid) > 0);
  check("gettid==getpid", S0(NR_gettid) == S0(NR_getpid));
  check("set_tid_address", S1(NR_set_tid_address, &child_pid) == S0(NR_gettid));
  check("sched_yield", S0(NR_sched_yield));
  check("sched_getscheduler", S1(120, 0));
  check("sched_get_priority_max FIFO", S1(125, 1));
  check("sched_get_priority_min OTHER", S1(126, 0));
  check("sched_get_priority_max bad", S1(125, 77));
  pid = S5(NR_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    int code = 0;
    if (S2(141, 0, 0) != 20) code |= 1;          /* getpriority: 20 - nice 0 */
    if (S3(140, 0, 0, 5) != 0) code |= 2;        /* nice 5 */
    if (S2(141, 0, 0) != 15) code |= 4;
    if (S3(140, 0, 0, -3) != 0) code |= 8;       /* root may lower it */
    if (S2(141, 0, 0) != 23) code |= 16;
    if (S2(141, 7, 0) != -22) code |= 32;        /* bad which */
    S1(NR_exit_group, code);
  }
  waitinfo(1, pid, 4, &si);
  check("priority child status", si.f[2]);
}

static volatile int intr_hits;
static void on_intr(int sig, struct kinfo *si, void *uc) {
  (void)sig;
  (void)si;
  (void)uc;
  intr_hits++;
}

/* A child signals us while we are blocked in read, then writes one byte. */
static long blocked_read_with_signal(ul flags) {
  int p[2];
  S2(NR_pipe2, p, 0);
  set_action(SIGUSR1, on_intr, flags, 0);
  long parent = S0(NR_getpid);
  long pid = S5(NR_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    sleep_ms(150);
    S2(NR_kill, parent, SIGUSR1);
    sleep_ms(150);
    S3(NR_write, p[1], "k", 1);
    S1(NR_exit_group, 0);
  }
  intr_hits = 0;
  long r = S3(NR_read, p[0], buf, 1);
  long r2 = r == 1 ? 0 : S3(NR_read, p[0], buf, 1);
  struct kinfo si;
  waitinfo(1, pid, 4, &si);
  S1(NR_close, p[0]);
  S1(NR_close, p[1]);
  return r * 100 + r2 * 10 + intr_hits;
}

static void interrupts(void) {
  check("read EINTR then data", blocked_read_with_signal(0));
  check("read SA_RESTART", blocked_read_with_signal(SA_RESTART));
  /* sigsuspend returns EINTR after the handler; the old mask comes back. */
  set_action(SIGUSR2, on_intr, 0, 0);
  ul m[2] = {1UL << (SIGUSR2 - 1), 0};
  S4(NR_rt_sigprocmask, 0, m, 0, 8);
  long parent = S0(NR_getpid);
  long pid = S5(NR_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    S2(NR_kill, parent, SIGUSR2);
    S1(NR_exit_group, 0);
  }
  intr_hits = 0;
  ul none[2] = {0, 0};
  check("sigsuspend", S2(NR_rt_sigsuspend, none, 8));
  check("sigsuspend handler", intr_hits);
  check("sigsuspend mask back", (long)(blocked_now() == m[0]));
  struct kinfo si;
  waitinfo(1, pid, 4, &si);
  /* An interrupted sleep returns EINTR. */
  set_action(SIGUSR1, on_intr, 0, 0);
  pid = S5(NR_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    sleep_ms(150);
    S2(NR_kill, parent, SIGUSR1);
    S1(NR_exit_group, 0);
  }
  long long ts[2] = {5, 0}, rem[2] = {-1, -1};
  check("nanosleep EINTR", S4(NR_clock_nanosleep64, 1, 0, ts, rem));
  check("nanosleep remain sec", (long)rem[0]);
  check("nanosleep remain nsec valid", rem[1] >= 0 && rem[1] < 1000000000LL);
  waitinfo(1, pid, 4, &si);
  /* Even with SA_RESTART, a handler ends a sleep with EINTR (Linux). */
  set_action(SIGUSR1, on_intr, SA_RESTART, 0);
  pid = S5(NR_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    sleep_ms(150);
    S2(NR_kill, parent, SIGUSR1);
    S1(NR_exit_group, 0);
  }
  rem[0] = -1;
  check("nanosleep SA_RESTART EINTR", S4(NR_clock_nanosleep64, 1, 0, ts, rem));
  check("nanosleep SA_RESTART remain", (long)rem[0]);
  waitinfo(1, pid, 4, &si);
  /* ... and a poll. */
  int pp[2];
  S2(NR_pipe2, pp, 0);
  pid = S5(NR_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    sleep_ms(150);
    S2(NR_kill, parent, SIGUSR1);
    S1(NR_exit_group, 0);
  }
  struct kpollfd pf = {pp[0], 1, 0};
  check("ppoll SA_RESTART EINTR", S5(NR_ppoll64, &pf, 1, 0, 0, 0));
  waitinfo(1, pid, 4, &si);
  S1(NR_close, pp[0]);
  S1(NR_close, pp[1]);
  long long past[2] = {0, 1};
  check("nanosleep abs past", S4(NR_clock_nanosleep64, 1, 1, past, 0));
  long long bad[2] = {0, 1000000000};
  check("nanosleep bad nsec", S4(NR_clock_nanosleep64, 1, 0, bad, 0));
}

/* A child drops root and meets the file permissions. */
static void ids(const char *dir) {
  char path[256];
  snprintf(path, sizeof path, "%s/f.txt", dir);
  long pid = S5(NR_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    int code = 0;
    if (S3(147, 1000, 1000, 1000) != 0) code |= 1;                 /* setresuid */
    ul r[3] = {9, 9, 9};
    if (S3(148, &r[0], &r[1], &r[2]) != 0 || r[0] != 1000 || r[2] != 1000) code |= 2;
    if (S4(NR_openat, AT_FDCWD, path, 01, 0) != -13) code |= 4;    /* EACCES for writing */
    long fd = S4(NR_openat, AT_FDCWD, path, 0, 0);
    if (fd < 0) code |= 8;                                          /* reading is allowed */
    if (S1(146, 0) != -1) code |= 16;                               /* setuid(0): EPERM */
    if (S0(NR_getuid) != 1000) code |= 32;
    if (S2(NR_kill, S0(NR_getppid), 0) != -1) code |= 64;             /* root's process: EPERM */
    if (S3(NR_tgkill, S0(NR_getppid), S0(NR_getppid), 0) != -1) code |= 128;
    if (S2(NR_kill, S0(NR_getpid), 0) != 0) code |= 1;                /* itself: fine */
    S1(NR_exit_group, code);
  }
  struct kinfo si;
  waitinfo(1, pid, 4, &si);
  check("drop root child status", si.f[2]);
}

static void misc(char **envp, const char *argv0) {
  check("wait4 absent", S4(NR_wait4, -1, 0, 0, 0));
  check("nanosleep absent", S2(NR_nanosleep, buf, 0));
  check("clock_gettime absent", S2(NR_clock_gettime, 1, buf));
  char u[390];
  check("uname", S1(NR_uname, u));
  printf("sysname: %s\nmachine: %s\n", u, u + 4 * 65);
  check("uname bad ptr", S1(NR_uname, 16));
  long long t1[2], t2[2];
  S2(NR_clock_gettime64, 1, t1);
  S2(NR_clock_gettime64, 1, t2);
  check("monotonic", t2[0] > t1[0] || (t2[0] == t1[0] && t2[1] >= t1[1]));
  check("clock bad id", S2(NR_clock_gettime64, 99, t1));
  check("clock bad ptr", S2(NR_clock_gettime64, 1, 16));
  S2(NR_clock_gettime64, 0, t1);
  check("realtime after 2020", t1[0] > 1577836800LL);
  check("prctl set name", S2(167, 15, "abcdefghijklmnopqrstu"));
  memset(buf, 0x55, 32);
  check("prctl get name", S2(167, 16, buf));
  printf("comm: %s\n", buf);
  check("prctl bad option", S2(167, 0x7777, 0));
  check("getrandom", S3(NR_getrandom, buf, 64, 0));
  check("getrandom bad flags", S3(NR_getrandom, buf, 64, 0x100));
  /* The auxiliary vector after envp. */
  char **e = envp;
  while (*e) e++;
  ul *aux = (ul *)(e + 1);
  ul pagesz = 0, phent = 0, phnum = 0, random = 0, uid = 99, execfn = 0, entry = 0;
  for (; aux[0] != 0; aux += 2) {
    if (aux[0] == 6) pagesz = aux[1];
    if (aux[0] == 4) phent = aux[1];
    if (aux[0] == 5) phnum = aux[1];
    if (aux[0] == 25) random = aux[1];
    if (aux[0] == 11) uid = aux[1];
    if (aux[0] == 31) execfn = aux[1];
    if (aux[0] == 9) entry = aux[1];
  }
  extern char _start[];
  check("AT_PAGESZ", (long)pagesz);
  check("AT_PHENT", (long)phent);
  check("AT_PHNUM>0", phnum > 0);
  check("AT_RANDOM set", random != 0);
  check("AT_UID==getuid", uid == (ul)S0(NR_getuid));
  check("AT_ENTRY==_start", entry == (ul)_start);
  check("AT_EXECFN==argv0", execfn != 0 && strcmp((char *)execfn, argv0) == 0);
}

int main(int argc, char **argv, char **envp) {
  if (argc < 2) {
    printf("usage: unix_abi_check DIR\n");
    return 2;
  }
  files(argv[1]);
  utimes(argv[1]);
  pipes();
  polls();
  poll_hangups();
  selects();
  signals();
  altstack();
  faults();
  processes();
  interrupts();
  ids(argv[1]);
  misc(envp, argv[0]);
  printf("done\n");
  return 0;
}
