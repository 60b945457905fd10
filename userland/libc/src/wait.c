/* waitpid/wait on waitid (rv32 Linux has no wait4), rebuilding the status word. */
#include <string.h>
#include <sys/wait.h>

#include "internal.h"

int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options) {
  return (int)__sys_ret(__sc5(SYS_waitid, idtype, id, info, options, 0));
}

pid_t waitpid(pid_t pid, int *status, int options) {
  idtype_t type;
  id_t id;
  if (pid == -1) {
    type = P_ALL;
    id = 0;
  } else if (pid > 0) {
    type = P_PID;
    id = pid;
  } else {
    /* 0: the caller's own group (P_PGID with id 0, Linux >= 5.4). */
    type = P_PGID;
    id = -pid;
  }
  int wopts = WEXITED | (options & (WNOHANG | WCONTINUED | WNOWAIT));
  if (options & WUNTRACED) wopts |= WSTOPPED;
  siginfo_t si;
  memset(&si, 0, sizeof si);
  if (waitid(type, id, &si, wopts) < 0) return -1;
  if (si.si_pid == 0) return 0; /* WNOHANG and nothing ready */
  if (status) {
    int s = si.si_status;
    switch (si.si_code) {
      case CLD_EXITED: *status = (s & 0xff) << 8; break;
      case CLD_KILLED: *status = s & 0x7f; break;
      case CLD_DUMPED: *status = (s & 0x7f) | 0x80; break;
      case CLD_STOPPED:
      case CLD_TRAPPED: *status = ((s & 0xff) << 8) | 0x7f; break;
      case CLD_CONTINUED: *status = 0xffff; break;
      default: *status = 0; break;
    }
  }
  return si.si_pid;
}

pid_t wait(int *status) { return waitpid(-1, status, 0); }
