/* poll/ppoll on ppoll_time64 and select/pselect on pselect6_time64 (rv32 has
 * only the 64-bit time variants). select gives back the time left, as Linux. */
#include <errno.h>
#include <poll.h>
#include <sys/select.h>

#include "internal.h"

#define SIGSET_BYTES 8

int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *timeout, const sigset_t *mask) {
  struct __kernel_timespec kt, *kp = 0;
  if (timeout) {
    kt.tv_sec = timeout->tv_sec;
    kt.tv_nsec = timeout->tv_nsec;
    kp = &kt;
  }
  return (int)__sys_ret(__sc5(SYS_ppoll_time64, fds, n, kp, mask, mask ? SIGSET_BYTES : 0));
}

int poll(struct pollfd *fds, nfds_t n, int timeout_ms) {
  struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};
  return ppoll(fds, n, timeout_ms < 0 ? 0 : &ts, 0);
}

static int do_select(int n, fd_set *rd, fd_set *wr, fd_set *ex, struct __kernel_timespec *kp,
                     const sigset_t *mask) {
  struct {
    const sigset_t *set;
    unsigned long size;
  } sigdata = {mask, SIGSET_BYTES};
  return (int)__sys_ret(__sc6(SYS_pselect6_time64, n, rd, wr, ex, kp, mask ? &sigdata : 0));
}

int pselect(int n, fd_set *rd, fd_set *wr, fd_set *ex, const struct timespec *timeout,
            const sigset_t *mask) {
  struct __kernel_timespec kt, *kp = 0;
  if (timeout) {
    kt.tv_sec = timeout->tv_sec;
    kt.tv_nsec = timeout->tv_nsec;
    kp = &kt;
  }
  return do_select(n, rd, wr, ex, kp, mask);
}

int select(int n, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *timeout) {
  struct __kernel_timespec kt, *kp = 0;
  if (timeout) {
    if (timeout->tv_sec < 0 || timeout->tv_usec < 0 || timeout->tv_usec >= 1000000) {
      errno = EINVAL;
      return -1;
    }
    kt.tv_sec = timeout->tv_sec;
    kt.tv_nsec = timeout->tv_usec * 1000;
    kp = &kt;
  }
  int r = do_select(n, rd, wr, ex, kp, 0);
  if (timeout && (r >= 0 || errno == EINTR)) { /* the kernel rewrote kt with the time left */
    timeout->tv_sec = kt.tv_sec;
    timeout->tv_usec = kt.tv_nsec / 1000;
  }
  return r;
}
