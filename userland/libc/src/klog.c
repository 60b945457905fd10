/* klogctl: the syslog(2) system call (the kernel ring buffer). */
#include <sys/klog.h>

#include "internal.h"

int klogctl(int type, char *bufp, int len) {
  return (int)__sys_ret(__sc3(SYS_syslog, type, bufp, len));
}
