/* more [FILE...]: shows text a screenful at a time. When standard output is
 * not a terminal it copies its input like cat (with util-linux's
 * "::::::::::::::" name headers when there are several files). On a terminal
 * it prints rows-1 lines (long lines wrap at the width from TIOCGWINSZ), then
 * a "--More--" prompt (with the percentage read, for regular files), and reads
 * one key from /dev/tty (or standard error) with echo and canonical mode off:
 * Space the next screen, Enter or j one more line, d half a screen, q or Q
 * (or ^C) quits, n the next file; others ring the bell. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage:\n"
    " more [options] <file>...\n"
    "\n"
    "A file perusal filter for CRT viewing.\n"
    "\n"
    "Keys at the --More-- prompt: space (next screen), return or j (next line),\n"
    "d (half a screen), n (next file), q (quit).\n"
    "\n"
    "Options:\n"
    "     --help     display this help\n";

static int rows = 24, cols = 80, key_fd = -1;
static struct termios saved;
static int raw_on;

static void restore(void) {
  if (raw_on) tcsetattr(key_fd, TCSADRAIN, &saved);
  raw_on = 0;
}

static void on_signal(int sig) {
  restore();
  signal(sig, SIG_DFL);
  raise(sig);
}

static int key(void) {
  unsigned char c;
  for (;;) {
    ssize_t n = read(key_fd, &c, 1);
    if (n == 1) return c;
    if (n < 0 && errno == EINTR) continue;
    return 'q';
  }
}

static void out(const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(1, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) _exit(1);
    s += w;
    n -= (size_t)w;
  }
}

/* Reads a line (up to cols columns or a newline) from fd into buf; 0 at EOF. */
struct reader {
  int fd;
  char buf[4096];
  size_t len, pos;
  long long done, size;
};

static int fill(struct reader *r) {
  if (r->pos < r->len) return 1;
  ssize_t n;
  do n = read(r->fd, r->buf, sizeof r->buf);
  while (n < 0 && errno == EINTR);
  if (n <= 0) return 0;
  r->len = (size_t)n;
  r->pos = 0;
  return 1;
}

/* Prints one screen row; 0 at end of input. */
static int show_row(struct reader *r) {
  int col = 0, any = 0;
  while (fill(r)) {
    char c = r->buf[r->pos];
    if (c != '\n' && col >= cols) break;
    r->pos++;
    r->done++;
    any = 1;
    out(&c, 1);
    if (c == '\n') return 1;
    if (c == '\t') col = (col / 8 + 1) * 8;
    else if (((unsigned char)c & 0xc0) != 0x80) col++;
  }
  if (any && col >= cols) out("\n", 1);
  return any;
}

/* Returns 1 to quit, 0 when the file is done. */
static int page(struct reader *r, int first_rows) {
  int lines = first_rows;
  for (;;) {
    for (int i = 0; i < lines; i++)
      if (!show_row(r)) return 0;
    if (!fill(r)) return 0;
    char prompt[64];
    int n = r->size > 0 ? snprintf(prompt, sizeof prompt, "\x1b[7m--More--(%d%%)\x1b[m", (int)(r->done * 100 / r->size))
                        : snprintf(prompt, sizeof prompt, "\x1b[7m--More--\x1b[m");
    out(prompt, (size_t)n);
    for (;;) {
      int c = key();
      if (c == ' ' || c == 'f') lines = rows - 1;
      else if (c == '\r' || c == '\n' || c == 'j') lines = 1;
      else if (c == 'd' || c == 4) lines = (rows - 1) / 2;
      else if (c == 'q' || c == 'Q' || c == 3) {
        out("\r\x1b[K", 4);
        return 1;
      } else if (c == 'n') {
        out("\r\x1b[K", 4);
        return 0;
      } else {
        out("\a", 1);
        continue;
      }
      break;
    }
    out("\r\x1b[K", 4);
  }
}

static int copy(int fd) {
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) return 0;
    out(buf, (size_t)n);
  }
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int nfiles = argc - 1, status = 0;
  static char *stdin_only[] = {"-"};
  char **files = nfiles ? argv + 1 : stdin_only;
  if (!nfiles) nfiles = 1;
  int interactive = isatty(1);
  if (interactive) {
    key_fd = open("/dev/tty", O_RDONLY | O_CLOEXEC);
    if (key_fd < 0) key_fd = 2;
    struct winsize ws;
    if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 1 && ws.ws_col > 0) rows = ws.ws_row, cols = ws.ws_col;
    if (tcgetattr(key_fd, &saved) == 0) {
      struct termios raw = saved;
      raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
      raw.c_cc[VMIN] = 1;
      raw.c_cc[VTIME] = 0;
      signal(SIGINT, on_signal);
      signal(SIGTERM, on_signal);
      tcsetattr(key_fd, TCSADRAIN, &raw);
      raw_on = 1;
    } else {
      interactive = 0;
    }
  }
  for (int i = 0; i < nfiles; i++) {
    int fd = strcmp(files[i], "-") == 0 ? 0 : open(files[i], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
      fprintf(stderr, "more: cannot open %s: %s\n", files[i], strerror(errno));
      status = 1;
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      fprintf(stderr, "\n*** %s: directory ***\n\n", files[i]);
      close(fd);
      continue;
    }
    if (nfiles > 1) {
      char head[512];
      int n = snprintf(head, sizeof head, "::::::::::::::\n%s\n::::::::::::::\n", files[i]);
      out(head, (size_t)n);
    }
    if (!interactive) {
      if (copy(fd) < 0) status = 1;
    } else {
      struct reader r = {.fd = fd, .size = S_ISREG(st.st_mode) ? st.st_size : 0};
      int quit = page(&r, rows - 1 - (nfiles > 1 ? 3 : 0));
      if (fd) close(fd);
      if (quit) break;
      continue;
    }
    if (fd) close(fd);
  }
  restore();
  return status;
}
