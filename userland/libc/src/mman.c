/* Memory mappings: mmap on mmap2 (offset in 4 KiB pages). */
#include <sys/mman.h>

#include "internal.h"

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
  if (off & 4095) {
    errno = EINVAL;
    return MAP_FAILED;
  }
  long r = __sc6(SYS_mmap2, addr, len, prot, flags, fd, (long)(off >> 12));
  if ((unsigned long)r > -4096UL) {
    errno = (int)-r;
    return MAP_FAILED;
  }
  return (void *)r;
}
int munmap(void *addr, size_t len) { return (int)__sys_ret(__sc2(SYS_munmap, addr, len)); }
int mprotect(void *addr, size_t len, int prot) {
  return (int)__sys_ret(__sc3(SYS_mprotect, addr, len, prot));
}
