/* Buffered streams. stdout is line-buffered on a terminal and fully buffered
 * otherwise, stderr is unbuffered; all streams are flushed at exit and before fork. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "pthread_impl.h"

#define F_READ 1
#define F_WRITE 2
#define F_EOF 4
#define F_ERR 8
#define F_OWNBUF 16
#define F_USED 32
#define F_APPEND 64
#define F_MODE_SET 128 /* buffering mode decided (lazily for stdout) */

struct __file {
  int fd;
  int flags;
  int mode;
  unsigned char *buf;
  size_t size;
  size_t rpos, rend; /* read buffer window */
  size_t wlen;       /* bytes waiting to be written */
  int ungot;         /* pushed-back character or -1 */
};

#define MAX_FILES 20
static unsigned char stdin_buf[BUFSIZ], stdout_buf[BUFSIZ];
static struct __file files[MAX_FILES] = {
    {0, F_READ | F_USED, _IOFBF, stdin_buf, BUFSIZ, 0, 0, 0, -1},
    {1, F_WRITE | F_USED, _IOFBF, stdout_buf, BUFSIZ, 0, 0, 0, -1},
    {2, F_WRITE | F_USED | F_MODE_SET, _IONBF, 0, 0, 0, 0, 0, -1},
};
FILE *stdin = &files[0];
FILE *stdout = &files[1];
FILE *stderr = &files[2];

void __stdio_init(void) {}

static int write_all(int fd, const unsigned char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static int flush_write(FILE *f) {
  if (f->wlen == 0) return 0;
  int r = write_all(f->fd, f->buf, f->wlen);
  f->wlen = 0;
  if (r < 0) {
    f->flags |= F_ERR;
    return EOF;
  }
  return 0;
}

/* Leaving read mode: give back what we read ahead so the fd offset is right. */
static void drop_read(FILE *f) {
  if (f->rend > f->rpos) lseek(f->fd, -(off_t)(f->rend - f->rpos), SEEK_CUR);
  f->rpos = f->rend = 0;
  f->ungot = -1;
}

static void decide_mode(FILE *f) {
  if (f->flags & F_MODE_SET) return;
  f->flags |= F_MODE_SET;
  if (f->fd == 1 && isatty(1)) f->mode = _IOLBF;
}

/* One lock for every stream (threads): each call is atomic, never torn. */
static volatile int stdio_lock;

int fflush(FILE *f) {
  if (!f) {
    __stdio_flush_all();
    return 0;
  }
  __lock(&stdio_lock);
  if (f->rend > f->rpos) drop_read(f);
  int r = flush_write(f);
  __unlock(&stdio_lock);
  return r;
}

void __stdio_flush_all(void) {
  /* Look before locking: fork calls this, and a store to the lock word
   * right after fork would cost a copy-on-write fault for nothing. */
  int pending = 0;
  for (int i = 0; i < MAX_FILES; i++)
    if ((files[i].flags & F_USED) && files[i].wlen) pending = 1;
  if (!pending) return;
  __lock(&stdio_lock);
  for (int i = 0; i < MAX_FILES; i++)
    if ((files[i].flags & F_USED) && files[i].wlen) flush_write(&files[i]);
  __unlock(&stdio_lock);
}

static int parse_mode(const char *mode, int *oflags) {
  int acc, fl = 0;
  switch (mode[0]) {
    case 'r': acc = O_RDONLY; fl = F_READ; break;
    case 'w': acc = O_WRONLY | O_CREAT | O_TRUNC; fl = F_WRITE; break;
    case 'a': acc = O_WRONLY | O_CREAT | O_APPEND; fl = F_WRITE | F_APPEND; break;
    default: return -1;
  }
  if (strchr(mode, '+')) {
    acc = (acc & ~O_ACCMODE) | O_RDWR;
    fl |= F_READ | F_WRITE;
  }
  if (strchr(mode, 'e')) acc |= O_CLOEXEC;
  if (strchr(mode, 'x')) acc |= O_EXCL;
  *oflags = acc;
  return fl;
}

FILE *fdopen(int fd, const char *mode) {
  int oflags;
  int fl = parse_mode(mode, &oflags);
  if (fl < 0) {
    errno = EINVAL;
    return 0;
  }
  for (int i = 3; i < MAX_FILES; i++) {
    FILE *f = &files[i];
    if (f->flags & F_USED) continue;
    f->buf = malloc(BUFSIZ);
    if (!f->buf) return 0;
    f->fd = fd;
    f->flags = fl | F_USED | F_OWNBUF | F_MODE_SET;
    f->mode = _IOFBF;
    f->size = BUFSIZ;
    f->rpos = f->rend = f->wlen = 0;
    f->ungot = -1;
    return f;
  }
  errno = EMFILE;
  return 0;
}

FILE *fopen(const char *path, const char *mode) {
  int oflags;
  if (parse_mode(mode, &oflags) < 0) {
    errno = EINVAL;
    return 0;
  }
  int fd = open(path, oflags, 0666);
  if (fd < 0) return 0;
  FILE *f = fdopen(fd, mode);
  if (!f) close(fd);
  return f;
}

int fclose(FILE *f) {
  int r = fflush(f);
  if (close(f->fd) < 0) r = EOF;
  if (f->flags & F_OWNBUF) free(f->buf);
  f->flags = 0;
  f->buf = 0;
  return r;
}

int fileno(FILE *f) { return f->fd; }

int setvbuf(FILE *f, char *buf, int mode, size_t size) {
  if (mode < _IOFBF || mode > _IONBF) return -1;
  fflush(f);
  f->mode = mode;
  f->flags |= F_MODE_SET;
  if (buf && size) {
    if (f->flags & F_OWNBUF) free(f->buf);
    f->flags &= ~F_OWNBUF;
    f->buf = (unsigned char *)buf;
    f->size = size;
  }
  return 0;
}

static int put_bytes_unlocked(FILE *f, const unsigned char *p, size_t n) {
  if (!(f->flags & F_WRITE)) {
    f->flags |= F_ERR;
    errno = EBADF;
    return EOF;
  }
  if (f->rend > f->rpos || f->ungot >= 0) drop_read(f);
  decide_mode(f);
  if (f->mode == _IONBF || !f->buf) {
    if (write_all(f->fd, p, n) < 0) {
      f->flags |= F_ERR;
      return EOF;
    }
    return 0;
  }
  while (n) {
    size_t room = f->size - f->wlen;
    size_t k = n < room ? n : room;
    memcpy(f->buf + f->wlen, p, k);
    f->wlen += k;
    p += k;
    n -= k;
    if (f->wlen == f->size && flush_write(f) < 0) return EOF;
  }
  if (f->mode == _IOLBF && f->wlen && memchr(f->buf, '\n', f->wlen)) return flush_write(f);
  return 0;
}

static int put_bytes(FILE *f, const unsigned char *p, size_t n) {
  __lock(&stdio_lock);
  int r = put_bytes_unlocked(f, p, n);
  __unlock(&stdio_lock);
  return r;
}

int __stdio_write(FILE *f, const char *p, size_t n);
int __stdio_write(FILE *f, const char *p, size_t n) {
  return put_bytes(f, (const unsigned char *)p, n);
}

size_t fwrite(const void *buf, size_t size, size_t n, FILE *f) {
  if (size == 0 || n == 0) return 0;
  return put_bytes(f, buf, size * n) < 0 ? 0 : n;
}

int fputc(int c, FILE *f) {
  unsigned char ch = (unsigned char)c;
  return put_bytes(f, &ch, 1) < 0 ? EOF : ch;
}
int putc(int c, FILE *f) { return fputc(c, f); }
int putchar(int c) { return fputc(c, stdout); }

int fputs(const char *s, FILE *f) { return put_bytes(f, (const unsigned char *)s, strlen(s)); }
int puts(const char *s) {
  if (fputs(s, stdout) < 0) return EOF;
  return fputc('\n', stdout) < 0 ? EOF : 1;
}

static int fill(FILE *f) {
  if (!(f->flags & F_READ)) {
    f->flags |= F_ERR;
    errno = EBADF;
    return EOF;
  }
  if (f->wlen && flush_write(f) < 0) return EOF;
  /* Reading stdin: show a pending prompt first, as interactive programs expect. */
  if (f == stdin) {
    decide_mode(stdout);
    if (stdout->mode == _IOLBF) flush_write(stdout);
  }
  for (;;) {
    ssize_t r = read(f->fd, f->buf, f->size);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      f->flags |= F_ERR;
      return EOF;
    }
    if (r == 0) {
      f->flags |= F_EOF;
      return EOF;
    }
    f->rpos = 0;
    f->rend = (size_t)r;
    return 0;
  }
}

static int fgetc_unlocked(FILE *f) {
  if (f->ungot >= 0) {
    int c = f->ungot;
    f->ungot = -1;
    return c;
  }
  if (f->rpos >= f->rend && fill(f) < 0) return EOF;
  return f->buf[f->rpos++];
}

int fgetc(FILE *f) {
  __lock(&stdio_lock);
  int c = fgetc_unlocked(f);
  __unlock(&stdio_lock);
  return c;
}
int getc(FILE *f) { return fgetc(f); }
int getchar(void) { return fgetc(stdin); }

int ungetc(int c, FILE *f) {
  if (c == EOF || f->ungot >= 0) return EOF;
  f->ungot = (unsigned char)c;
  f->flags &= ~F_EOF;
  return (unsigned char)c;
}

char *fgets(char *s, int n, FILE *f) {
  int i = 0;
  if (n <= 0) return 0;
  while (i < n - 1) {
    int c = fgetc(f);
    if (c == EOF) break;
    s[i++] = (char)c;
    if (c == '\n') break;
  }
  if (i == 0) return 0;
  s[i] = 0;
  return s;
}

ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f) {
  size_t n = 0;
  for (;;) {
    int c = fgetc(f);
    if (c == EOF && n == 0) return -1;
    if (n + 2 > *cap || !*line) {
      size_t nc = *cap < 64 ? 128 : *cap * 2;
      char *p = realloc(*line, nc);
      if (!p) return -1;
      *line = p;
      *cap = nc;
    }
    if (c == EOF) break;
    (*line)[n++] = (char)c;
    if (c == delim) break;
  }
  (*line)[n] = 0;
  return (ssize_t)n;
}
ssize_t getline(char **line, size_t *cap, FILE *f) { return getdelim(line, cap, '\n', f); }

size_t fread(void *buf, size_t size, size_t n, FILE *f) {
  size_t want = size * n, got = 0;
  unsigned char *p = buf;
  if (want == 0) return 0;
  __lock(&stdio_lock);
  while (got < want) {
    int c = fgetc_unlocked(f);
    if (c == EOF) break;
    p[got++] = (unsigned char)c;
    /* Copy the rest of the buffered window in one go. */
    size_t avail = f->rend - f->rpos, k = want - got < avail ? want - got : avail;
    memcpy(p + got, f->buf + f->rpos, k);
    f->rpos += k;
    got += k;
  }
  __unlock(&stdio_lock);
  return got / size;
}

int feof(FILE *f) { return (f->flags & F_EOF) != 0; }
int ferror(FILE *f) { return (f->flags & F_ERR) != 0; }
void clearerr(FILE *f) { f->flags &= ~(F_EOF | F_ERR); }

int fseek(FILE *f, long off, int whence) {
  if (fflush(f) < 0) return -1;
  f->ungot = -1;
  if (lseek(f->fd, off, whence) < 0) return -1;
  f->flags &= ~F_EOF;
  return 0;
}
long ftell(FILE *f) {
  off_t pos = lseek(f->fd, 0, SEEK_CUR);
  if (pos < 0) return -1;
  return (long)(pos + (off_t)f->wlen - (off_t)(f->rend - f->rpos) - (f->ungot >= 0));
}
void rewind(FILE *f) {
  fseek(f, 0, SEEK_SET);
  clearerr(f);
}

void perror(const char *s) {
  const char *msg = strerror(errno);
  if (s && *s) fprintf(stderr, "%s: %s\n", s, msg);
  else fprintf(stderr, "%s\n", msg);
}
