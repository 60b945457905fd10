/* Process start-up and exit: environ, atexit handlers, stdio flush. */
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"
#include "pthread_impl.h"

char **environ;
const char *__progname = "";

int main(int argc, char **argv, char **envp);

#define ATEXIT_MAX 32
static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

/* Called by _start with a pointer to the initial stack (argc first). */
void __libc_start(long *sp) __attribute__((noreturn));
void __libc_start(long *sp) {
  /* The first thread's control block (errno, thread-specific data). */
  __asm__ volatile("mv tp, %0" : : "r"(&__main_thread));
  int argc = (int)sp[0];
  char **argv = (char **)(sp + 1);
  environ = argv + argc + 1;
  if (argc > 0 && argv[0]) {
    const char *p = argv[0];
    __progname = p;
    for (; *p; p++)
      if (*p == '/') __progname = p + 1;
  }
  __stdio_init();
  exit(main(argc, argv, environ));
}

int atexit(void (*fn)(void)) {
  if (atexit_count >= ATEXIT_MAX) return -1;
  atexit_fns[atexit_count++] = fn;
  return 0;
}

void exit(int status) {
  while (atexit_count > 0) atexit_fns[--atexit_count]();
  __stdio_flush_all();
  _exit(status);
}

void _exit(int status) {
  for (;;) __sc1(SYS_exit_group, status);
}

void _Exit(int status) { _exit(status); }
