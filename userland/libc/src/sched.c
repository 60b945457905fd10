/* Scheduling calls: thin wrappers over the kernel's sched_* and priority calls. */
#include <errno.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param) {
  return (int)__sys_ret(__sc3(SYS_sched_setscheduler, pid, policy, param));
}
int sched_getscheduler(pid_t pid) { return (int)__sys_ret(__sc1(SYS_sched_getscheduler, pid)); }
int sched_setparam(pid_t pid, const struct sched_param *param) {
  return (int)__sys_ret(__sc2(SYS_sched_setparam, pid, param));
}
int sched_getparam(pid_t pid, struct sched_param *param) {
  return (int)__sys_ret(__sc2(SYS_sched_getparam, pid, param));
}
int sched_get_priority_max(int policy) {
  return (int)__sys_ret(__sc1(SYS_sched_get_priority_max, policy));
}
int sched_get_priority_min(int policy) {
  return (int)__sys_ret(__sc1(SYS_sched_get_priority_min, policy));
}
int sched_rr_get_interval(pid_t pid, struct timespec *interval) {
  return (int)__sys_ret(__sc2(SYS_sched_rr_get_interval_time64, pid, interval));
}
int sched_setattr(pid_t pid, struct sched_attr *attr, unsigned int flags) {
  return (int)__sys_ret(__sc3(SYS_sched_setattr, pid, attr, flags));
}
int sched_getattr(pid_t pid, struct sched_attr *attr, unsigned int size, unsigned int flags) {
  return (int)__sys_ret(__sc4(SYS_sched_getattr, pid, attr, size, flags));
}

/* The raw call returns 20 - nice so that it is never negative; undo that. */
int getpriority(int which, id_t who) {
  long r = __sys_ret(__sc2(SYS_getpriority, which, who));
  return r < 0 ? -1 : 20 - (int)r;
}
int setpriority(int which, id_t who, int prio) {
  return (int)__sys_ret(__sc3(SYS_setpriority, which, who, prio));
}

/* nice(inc): -1 with errno set on failure; -1 is also a valid new value, as POSIX allows. */
int nice(int inc) {
  errno = 0;
  int cur = getpriority(PRIO_PROCESS, 0);
  if (cur == -1 && errno != 0) return -1;
  if (setpriority(PRIO_PROCESS, 0, cur + inc) < 0) {
    if (errno == EACCES) errno = EPERM;
    return -1;
  }
  return getpriority(PRIO_PROCESS, 0);
}
