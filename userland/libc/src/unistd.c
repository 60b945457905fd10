/* Typed wrappers for the file-descriptor, process and identity system calls. */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "internal.h"

ssize_t read(int fd, void *buf, size_t n) { return __sys_ret(__sc3(SYS_read, fd, buf, n)); }
ssize_t write(int fd, const void *buf, size_t n) {
  return __sys_ret(__sc3(SYS_write, fd, buf, n));
}
ssize_t readv(int fd, const struct iovec *iov, int n) {
  return __sys_ret(__sc3(SYS_readv, fd, iov, n));
}
ssize_t writev(int fd, const struct iovec *iov, int n) {
  return __sys_ret(__sc3(SYS_writev, fd, iov, n));
}
int close(int fd) { return (int)__sys_ret(__sc1(SYS_close, fd)); }

off_t lseek(int fd, off_t off, int whence) {
  long long result;
  long r = __sc5(SYS_llseek, fd, (long)(off >> 32), (long)(off & 0xffffffff), &result, whence);
  if (__sys_ret(r) < 0) return -1;
  return result;
}

int pipe(int fds[2]) { return (int)__sys_ret(__sc2(SYS_pipe2, fds, 0)); }
int pipe2(int fds[2], int flags) { return (int)__sys_ret(__sc2(SYS_pipe2, fds, flags)); }
int dup(int fd) { return (int)__sys_ret(__sc1(SYS_dup, fd)); }
int dup3(int oldfd, int newfd, int flags) {
  return (int)__sys_ret(__sc3(SYS_dup3, oldfd, newfd, flags));
}
int dup2(int oldfd, int newfd) {
  /* dup3 refuses equal descriptors; dup2 must just validate oldfd. */
  if (oldfd == newfd) {
    if (__sys_ret(__sc2(SYS_fcntl64, oldfd, F_GETFD)) < 0) return -1;
    return newfd;
  }
  return dup3(oldfd, newfd, 0);
}
int ftruncate(int fd, off_t len) {
  /* ilp32: the 64-bit length goes in a register pair, low word first. */
  return (int)__sys_ret(__sc3(SYS_ftruncate64, fd, (long)(len & 0xffffffff), (long)(len >> 32)));
}
int fsync(int fd) { return (int)__sys_ret(__sc1(SYS_fsync, fd)); }

int open(const char *path, int flags, ...) {
  mode_t mode = 0;
  if (flags & O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode = va_arg(ap, mode_t);
    va_end(ap);
  }
  return (int)__sys_ret(__sc4(SYS_openat, AT_FDCWD, path, flags, mode));
}
int openat(int dirfd, const char *path, int flags, ...) {
  mode_t mode = 0;
  if (flags & O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode = va_arg(ap, mode_t);
    va_end(ap);
  }
  return (int)__sys_ret(__sc4(SYS_openat, dirfd, path, flags, mode));
}
int creat(const char *path, mode_t mode) { return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode); }
int fcntl(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  long arg = va_arg(ap, long);
  va_end(ap);
  return (int)__sys_ret(__sc3(SYS_fcntl64, fd, cmd, arg));
}
int ioctl(int fd, unsigned long request, ...) {
  va_list ap;
  va_start(ap, request);
  long arg = va_arg(ap, long);
  va_end(ap);
  return (int)__sys_ret(__sc3(SYS_ioctl, fd, request, arg));
}

pid_t fork(void) {
  /* Flush first so buffered output is not written twice, once by each process. */
  __stdio_flush_all();
  return (pid_t)__sys_ret(__sc5(SYS_clone, SIGCHLD, 0, 0, 0, 0));
}
int execve(const char *path, char *const argv[], char *const envp[]) {
  return (int)__sys_ret(__sc3(SYS_execve, path, argv, envp));
}
int execv(const char *path, char *const argv[]) { return execve(path, argv, environ); }
int execvp(const char *file, char *const argv[]) {
  if (!file || !*file) {
    errno = ENOENT;
    return -1;
  }
  if (strchr(file, '/')) return execve(file, argv, environ);
  const char *path = getenv("PATH");
  if (!path) path = "/bin:/usr/bin";
  size_t flen = strlen(file);
  int saw_eacces = 0;
  char buf[PATH_MAX];
  for (const char *p = path;; p++) {
    const char *end = strchr(p, ':');
    size_t dlen = end ? (size_t)(end - p) : strlen(p);
    if (dlen + flen + 2 <= sizeof buf) {
      memcpy(buf, p, dlen);
      size_t at = dlen;
      if (at == 0) buf[at++] = '.';
      buf[at++] = '/';
      memcpy(buf + at, file, flen + 1);
      execve(buf, argv, environ);
      if (errno == EACCES) saw_eacces = 1;
      else if (errno != ENOENT && errno != ENOTDIR) return -1;
    }
    if (!end) break;
    p = end;
  }
  errno = saw_eacces ? EACCES : ENOENT;
  return -1;
}

pid_t getpid(void) { return (pid_t)__sc0(SYS_getpid); }
pid_t getppid(void) { return (pid_t)__sc0(SYS_getppid); }
pid_t gettid(void) { return (pid_t)__sc0(SYS_gettid); }
int setpgid(pid_t pid, pid_t pgid) { return (int)__sys_ret(__sc2(SYS_setpgid, pid, pgid)); }
pid_t getpgid(pid_t pid) { return (pid_t)__sys_ret(__sc1(SYS_getpgid, pid)); }
pid_t getpgrp(void) { return getpgid(0); }
pid_t setsid(void) { return (pid_t)__sys_ret(__sc0(SYS_setsid)); }
pid_t getsid(pid_t pid) { return (pid_t)__sys_ret(__sc1(SYS_getsid, pid)); }
uid_t getuid(void) { return (uid_t)__sc0(SYS_getuid); }
uid_t geteuid(void) { return (uid_t)__sc0(SYS_geteuid); }
gid_t getgid(void) { return (gid_t)__sc0(SYS_getgid); }
gid_t getegid(void) { return (gid_t)__sc0(SYS_getegid); }
int sched_yield(void) { return (int)__sys_ret(__sc0(SYS_sched_yield)); }

pid_t tcgetpgrp(int fd) {
  int pgrp;
  if (ioctl(fd, TIOCGPGRP, &pgrp) < 0) return -1;
  return pgrp;
}
int tcsetpgrp(int fd, pid_t pgrp) {
  int p = pgrp;
  return ioctl(fd, TIOCSPGRP, &p);
}

int chdir(const char *path) { return (int)__sys_ret(__sc1(SYS_chdir, path)); }
int fchdir(int fd) { return (int)__sys_ret(__sc1(SYS_fchdir, fd)); }
char *getcwd(char *buf, size_t size) {
  char *mem = 0;
  if (!buf) {
    /* Common extension: allocate when no buffer is given. */
    if (size == 0) size = PATH_MAX;
    buf = mem = malloc(size);
    if (!buf) return 0;
  }
  if (__sys_ret(__sc2(SYS_getcwd, buf, size)) < 0) {
    free(mem);
    return 0;
  }
  return buf;
}
int isatty(int fd) {
  char t[64]; /* struct termios is 36 bytes */
  return ioctl(fd, TCGETS, t) == 0;
}
int access(const char *path, int mode) {
  return (int)__sys_ret(__sc3(SYS_faccessat, AT_FDCWD, path, mode));
}
int unlink(const char *path) { return (int)__sys_ret(__sc3(SYS_unlinkat, AT_FDCWD, path, 0)); }
int rmdir(const char *path) {
  return (int)__sys_ret(__sc3(SYS_unlinkat, AT_FDCWD, path, AT_REMOVEDIR));
}
int link(const char *from, const char *to) {
  return (int)__sys_ret(__sc5(SYS_linkat, AT_FDCWD, from, AT_FDCWD, to, 0));
}
int symlink(const char *target, const char *path) {
  return (int)__sys_ret(__sc3(SYS_symlinkat, target, AT_FDCWD, path));
}
ssize_t readlink(const char *path, char *buf, size_t size) {
  return __sys_ret(__sc4(SYS_readlinkat, AT_FDCWD, path, buf, size));
}
int rename(const char *from, const char *to) {
  return (int)__sys_ret(__sc5(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, 0));
}
int remove(const char *path) {
  if (unlink(path) == 0) return 0;
  if (errno == EISDIR) return rmdir(path);
  return -1;
}

int uname(struct utsname *u) { return (int)__sys_ret(__sc1(SYS_uname, u)); }
int reboot(int cmd) {
  return (int)__sys_ret(__sc4(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, 0));
}

/* The break as the kernel reports it; 0 until first asked. */
static unsigned long cur_brk;

int brk(void *addr) {
  unsigned long r = (unsigned long)__sc1(SYS_brk, addr);
  cur_brk = r;
  /* Linux brk returns the old break when it cannot move it. */
  if (r < (unsigned long)addr) {
    errno = ENOMEM;
    return -1;
  }
  return 0;
}
void *sbrk(ptrdiff_t incr) {
  if (!cur_brk) cur_brk = (unsigned long)__sc1(SYS_brk, 0);
  unsigned long old = cur_brk;
  if (incr == 0) return (void *)old;
  unsigned long want = old + (unsigned long)incr;
  if ((incr > 0 && want < old) || (incr < 0 && want > old)) {
    errno = ENOMEM;
    return (void *)-1;
  }
  unsigned long r = (unsigned long)__sc1(SYS_brk, want);
  if (r != want) {
    cur_brk = r;
    errno = ENOMEM;
    return (void *)-1;
  }
  cur_brk = want;
  return (void *)old;
}

long syscall(long number, ...) {
  va_list ap;
  va_start(ap, number);
  long a = va_arg(ap, long), b = va_arg(ap, long), c = va_arg(ap, long);
  long d = va_arg(ap, long), e = va_arg(ap, long), f = va_arg(ap, long);
  va_end(ap);
  return __sys_ret(__syscall6(number, a, b, c, d, e, f));
}
