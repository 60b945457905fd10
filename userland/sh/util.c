/* Strata sh: the per-line arena, unbuffered output and small helpers. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

/* Parse trees and expansions live for one command line, so a bump arena
 * avoids tracking every allocation; it grows in chunks and is reset per line. */
struct chunk {
  struct chunk *next;
  size_t used, size;
  char data[];
};

static struct chunk *arena_head;

void *arena_alloc(size_t n) {
  n = (n + 7) & ~(size_t)7;
  if (!arena_head || arena_head->size - arena_head->used < n) {
    size_t size = n > 16384 ? n : 16384;
    struct chunk *c = malloc(sizeof(struct chunk) + size);
    if (!c) {
      out_str(2, "sh: out of memory\n");
      _exit(2);
    }
    c->next = arena_head;
    c->used = 0;
    c->size = size;
    arena_head = c;
  }
  void *p = arena_head->data + arena_head->used;
  arena_head->used += n;
  return p;
}

void arena_reset(void) {
  /* Keep one chunk to avoid malloc churn on every line. */
  while (arena_head && arena_head->next) {
    struct chunk *next = arena_head->next;
    free(arena_head);
    arena_head = next;
  }
  if (arena_head) arena_head->used = 0;
}

struct arena_mark arena_get_mark(void) {
  struct arena_mark m = {arena_head, arena_head ? arena_head->used : 0};
  return m;
}

void arena_release(struct arena_mark m) {
  while (arena_head && arena_head != (struct chunk *)m.chunk) {
    struct chunk *next = arena_head->next;
    free(arena_head);
    arena_head = next;
  }
  if (arena_head) arena_head->used = m.used;
}

char *arena_strndup(const char *s, size_t n) {
  char *p = arena_alloc(n + 1);
  if (n) memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *arena_strdup(const char *s) { return arena_strndup(s, strlen(s)); }

char *arena_concat3(const char *a, const char *b, const char *c) {
  size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
  char *p = arena_alloc(la + lb + lc + 1);
  memcpy(p, a, la);
  memcpy(p + la, b, lb);
  memcpy(p + la + lb, c, lc + 1);
  return p;
}

void out_str(int fd, const char *s) {
  size_t n = strlen(s);
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    s += w;
    n -= (size_t)w;
  }
}

void num_to_str(long n, char *buf) {
  char tmp[24];
  int i = 0, neg = n < 0;
  unsigned long u = neg ? 0UL - (unsigned long)n : (unsigned long)n;
  do {
    tmp[i++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (neg) tmp[i++] = '-';
  int j = 0;
  while (i) buf[j++] = tmp[--i];
  buf[j] = 0;
}

void out_num(int fd, long n) {
  char buf[24];
  num_to_str(n, buf);
  out_str(fd, buf);
}

void sh_error(const char *a, const char *b) {
  out_str(2, "sh: ");
  out_str(2, a);
  if (b) {
    out_str(2, ": ");
    out_str(2, b);
  }
  out_str(2, "\n");
}

void sh_error_errno(const char *a, const char *b, int err) {
  out_str(2, "sh: ");
  out_str(2, a);
  if (b) {
    out_str(2, ": ");
    out_str(2, b);
  }
  out_str(2, ": ");
  out_str(2, strerror(err));
  out_str(2, "\n");
}

long parse_uint(const char *s) {
  long v = 0;
  if (!*s) return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return -1;
    v = v * 10 + (*s - '0');
    if (v > 0x7fffffffL) return -1;
  }
  return v;
}

/* The messages shells print for a signal; indexed by the Linux signal number. */
static const char *const signal_names[] = {
    "Signal 0",
    "Hangup",
    "Interrupt",
    "Quit",
    "Illegal instruction",
    "Trace/breakpoint trap",
    "Aborted",
    "Bus error",
    "Floating point exception",
    "Killed",
    "User defined signal 1",
    "Segmentation fault",
    "User defined signal 2",
    "Broken pipe",
    "Alarm clock",
    "Terminated",
    "Stack fault",
    "Child exited",
    "Continued",
    "Stopped (signal)",
    "Stopped",
    "Stopped (tty input)",
    "Stopped (tty output)",
    "Urgent I/O condition",
    "CPU time limit exceeded",
    "File size limit exceeded",
    "Virtual timer expired",
    "Profiling timer expired",
    "Window changed",
    "I/O possible",
    "Power failure",
    "Bad system call",
};

const char *signal_name(int sig) {
  static char buf[32];
  if (sig >= 0 && sig < (int)(sizeof(signal_names) / sizeof(signal_names[0])))
    return signal_names[sig];
  memcpy(buf, "Signal ", 7);
  num_to_str(sig, buf + 7);
  return buf;
}

void out_single_quoted(int fd, const char *s) {
  out_str(fd, "'");
  for (const char *p = s; *p; p++) {
    if (*p == '\'') {
      out_str(fd, "'\\''");
    } else {
      char one[2] = {*p, 0};
      out_str(fd, one);
    }
  }
  out_str(fd, "'");
}

/* The keyboard and job-control signals an interactive shell ignores itself. */
static const int keyboard_signals[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};
#define NKEYBOARD ((int)(sizeof(keyboard_signals) / sizeof(keyboard_signals[0])))

void set_keyboard_signals(void (*action)(int)) {
  for (int i = 0; i < NKEYBOARD; i++) signal(keyboard_signals[i], action);
}

int is_keyboard_signal(int sig) {
  for (int i = 0; i < NKEYBOARD; i++)
    if (keyboard_signals[i] == sig) return 1;
  return 0;
}
