/* brk grows the heap; anonymous mmap gives zeroed private memory; after
 * munmap (or mprotect read-only), touching the page kills with SIGSEGV. */
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "check.h"

#define PAGE 4096

static void expect_segv(volatile char *addr, const char *what) {
  pid_t pid = fork();
  CHECK(pid >= 0, "fork");
  if (pid == 0) {
    *addr = 1;
    _exit(0);
  }
  int st = wait_for(pid);
  if (!(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)) {
    dprintf(2, "FAIL: %s: child status 0x%x, want SIGSEGV\n", what, st);
    _exit(1);
  }
}

int main(void) {
  /* Raw brk: the kernel returns the (new) break. */
  unsigned long cur = (unsigned long)syscall(SYS_brk, 0);
  CHECK(cur != 0, "brk(0)");
  unsigned long want = cur + 16 * PAGE;
  unsigned long got = (unsigned long)syscall(SYS_brk, want);
  CHECK(got == want, "brk grows by 64 KiB");
  volatile char *heap = (volatile char *)cur;
  for (unsigned long i = 0; i < 16 * PAGE; i += PAGE) {
    CHECK(heap[i] == 0, "new heap is zero");
    heap[i] = (char)(i / PAGE + 1);
  }
  for (unsigned long i = 0; i < 16 * PAGE; i += PAGE)
    CHECK(heap[i] == (char)(i / PAGE + 1), "heap keeps its data");
  dprintf(1, "brk: heap grew 64 KiB\n");

  char *m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(m != MAP_FAILED, "mmap anonymous");
  CHECK(((unsigned long)m & (PAGE - 1)) == 0, "mmap page aligned");
  for (int i = 0; i < 4 * PAGE; i++) CHECK(m[i] == 0, "mmap memory is zero");
  for (int i = 0; i < 4 * PAGE; i++) m[i] = (char)i;
  for (int i = 0; i < 4 * PAGE; i++) CHECK(m[i] == (char)i, "mmap memory keeps data");
  dprintf(1, "mmap: anonymous pages zeroed and writable\n");

  CHECK(munmap(m + PAGE, PAGE) == 0, "munmap middle page");
  CHECK(m[0] == 0 && m[2 * PAGE] == (char)(2 * PAGE), "neighbours survive munmap");
  expect_segv(m + PAGE, "store to unmapped page");
  dprintf(1, "munmap: access to an unmapped page is SIGSEGV\n");

  CHECK(mprotect(m + 2 * PAGE, PAGE, PROT_READ) == 0, "mprotect read-only");
  CHECK(m[2 * PAGE] == (char)(2 * PAGE), "read-only page readable");
  expect_segv(m + 2 * PAGE, "store to read-only page");
  dprintf(1, "mprotect: store to a read-only page is SIGSEGV\n");
  CHECK(munmap(m, 4 * PAGE) == 0, "munmap all");
  return 0;
}
