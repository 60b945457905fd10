/*
 * Streams over kernel32 handles. stdin/stdout/stderr are text streams on the
 * standard handles; fopen streams are text unless the mode has "b". Writing
 * a text stream turns "\n" into "\r\n"; reading one turns "\r\n" into "\n".
 * stdout is buffered when it is not a character device (like msvcrt), stderr
 * never is; everything is flushed by exit(). The printf family is the project
 * libc's printf.c, which writes through __stdio_write() below.
 */
#include <stdlib.h>
#include <string.h>
#include "crt.h"

static FILE std_streams[3];
FILE *stdin = &std_streams[0];
FILE *stdout = &std_streams[1];
FILE *stderr = &std_streams[2];
static FILE *open_files[64];

static void std_init(void) {
  static int done;
  if (done) return;
  done = 1;
  static const DWORD which[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
  for (int i = 0; i < 3; i++) {
    FILE *f = &std_streams[i];
    f->h = GetStdHandle(which[i]);
    f->text = 1;
    f->readable = i == 0;
    f->writable = i != 0;
    f->buffered = i == 1 ? -1 : 0;
    f->unget = EOF;
  }
}

static int raw_write(FILE *f, const char *p, size_t n) {
  while (n) {
    DWORD done = 0;
    if (!WriteFile(f->h, p, (DWORD)n, &done, 0) || !done) {
      f->err = 1;
      return -1;
    }
    p += done;
    n -= done;
  }
  return 0;
}

int fflush(FILE *f) {
  if (!f) {
    __crt_flush_all();
    return 0;
  }
  std_init();
  if (!f->len) return 0;
  int r = raw_write(f, f->wbuf, f->len);
  f->len = 0;
  return r;
}

static int put_bytes(FILE *f, const char *p, size_t n) {
  if (f->buffered < 0) f->buffered = GetFileType(f->h) != FILE_TYPE_CHAR;
  if (!f->buffered) return raw_write(f, p, n);
  while (n) {
    size_t k = sizeof f->wbuf - f->len;
    if (k > n) k = n;
    memcpy(f->wbuf + f->len, p, k);
    f->len += k;
    p += k;
    n -= k;
    if (f->len == sizeof f->wbuf && fflush(f)) return -1;
  }
  return 0;
}

/* Writes n bytes, expanding "\n" in text mode. Used by printf.c too. */
int __stdio_write(FILE *f, const char *p, size_t n) {
  std_init();
  if (!f->writable) {
    f->err = 1;
    return -1;
  }
  if (f->append && !f->len) SetFilePointer(f->h, 0, 0, FILE_END);
  if (!f->text) return put_bytes(f, p, n);
  while (n) {
    const char *nl = memchr(p, '\n', n);
    size_t k = nl ? (size_t)(nl - p) : n;
    if (k && put_bytes(f, p, k)) return -1;
    if (!nl) break;
    if (put_bytes(f, "\r\n", 2)) return -1;
    p += k + 1;
    n -= k + 1;
  }
  return 0;
}

/* printf.c's fd sink (dprintf): fd 1 and 2 are stdout and stderr. */
long write(int fd, const void *p, size_t n) {
  FILE *f = fd == 1 ? stdout : fd == 2 ? stderr : 0;
  if (!f || __stdio_write(f, p, n)) return -1;
  return (long)n;
}

size_t fwrite(const void *buf, size_t size, size_t n, FILE *f) {
  if (!size || !n) return 0;
  return __stdio_write(f, buf, size * n) ? 0 : n;
}

int fputc(int c, FILE *f) {
  char ch = (char)c;
  return __stdio_write(f, &ch, 1) ? EOF : (unsigned char)c;
}
int putc(int c, FILE *f) { return fputc(c, f); }
int putchar(int c) { return fputc(c, stdout); }
int fputs(const char *s, FILE *f) { return __stdio_write(f, s, strlen(s)) ? EOF : 0; }
int puts(const char *s) { return fputs(s, stdout) || fputc('\n', stdout) == EOF ? EOF : 0; }

static int raw_getc(FILE *f) {
  if (f->rpos == f->rlen) {
    DWORD got = 0;
    if (f->eof) return EOF;
    if (stdout->len && f == stdin) fflush(stdout);
    if (!ReadFile(f->h, f->rbuf, sizeof f->rbuf, &got, 0)) {
      if (GetLastError() == ERROR_BROKEN_PIPE) f->eof = 1;
      else f->err = 1;
      return EOF;
    }
    if (!got) {
      f->eof = 1;
      return EOF;
    }
    f->rpos = 0;
    f->rlen = got;
  }
  return (unsigned char)f->rbuf[f->rpos++];
}

int fgetc(FILE *f) {
  std_init();
  if (!f->readable) {
    f->err = 1;
    return EOF;
  }
  if (f->unget != EOF) {
    int c = f->unget;
    f->unget = EOF;
    return c;
  }
  int c = raw_getc(f);
  if (f->text && c == '\r') {
    int d = raw_getc(f);
    if (d == '\n') return '\n';
    if (d != EOF) f->unget = d;
  }
  return c;
}
int getc(FILE *f) { return fgetc(f); }
int getchar(void) { return fgetc(stdin); }

char *fgets(char *s, int n, FILE *f) {
  int i = 0;
  while (i + 1 < n) {
    int c = fgetc(f);
    if (c == EOF) break;
    s[i++] = (char)c;
    if (c == '\n') break;
  }
  if (!i) return 0;
  s[i] = 0;
  return s;
}

size_t fread(void *buf, size_t size, size_t n, FILE *f) {
  size_t total = size * n, i = 0;
  char *p = buf;
  if (!total) return 0;
  for (; i < total; i++) {
    int c = fgetc(f);
    if (c == EOF) break;
    p[i] = (char)c;
  }
  return i / size;
}

int feof(FILE *f) { return f->eof && f->unget == EOF && f->rpos == f->rlen; }
int ferror(FILE *f) { return f->err; }

FILE *fopen(const char *path, const char *mode) {
  DWORD access = 0, disposition = OPEN_EXISTING;
  int plus = strchr(mode, '+') != 0;
  switch (mode[0]) {
  case 'r': access = GENERIC_READ | (plus ? GENERIC_WRITE : 0); break;
  case 'w': access = GENERIC_WRITE | (plus ? GENERIC_READ : 0); disposition = CREATE_ALWAYS; break;
  case 'a': access = GENERIC_WRITE | (plus ? GENERIC_READ : 0); disposition = OPEN_ALWAYS; break;
  default: return 0;
  }
  int slot = 0;
  while (slot < 64 && open_files[slot]) slot++;
  if (slot == 64) return 0;
  HANDLE h = CreateFileA(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE, 0, disposition,
                         FILE_ATTRIBUTE_NORMAL, 0);
  if (h == INVALID_HANDLE_VALUE) return 0;
  FILE *f = calloc(1, sizeof *f);
  if (!f) {
    CloseHandle(h);
    return 0;
  }
  f->h = h;
  f->text = !strchr(mode, 'b');
  f->readable = (access & GENERIC_READ) != 0;
  f->writable = (access & GENERIC_WRITE) != 0;
  f->append = mode[0] == 'a';
  f->buffered = 1;
  f->unget = EOF;
  open_files[slot] = f;
  return f;
}

int fclose(FILE *f) {
  int r = fflush(f);
  for (int i = 0; i < 64; i++)
    if (open_files[i] == f) open_files[i] = 0;
  if (!CloseHandle(f->h)) r = EOF;
  if (f < std_streams || f >= std_streams + 3) free(f);
  return r;
}

static void drop_read_buffer(FILE *f) {
  LONG back = (LONG)(f->rlen - f->rpos) + (f->unget != EOF);
  if (back) SetFilePointer(f->h, -back, 0, FILE_CURRENT);
  f->rpos = f->rlen = 0;
  f->unget = EOF;
  f->eof = 0;
}

int fseek(FILE *f, long off, int whence) {
  if (fflush(f)) return -1;
  drop_read_buffer(f);
  if (SetFilePointer(f->h, off, 0, whence) == INVALID_SET_FILE_POINTER) return -1;
  return 0;
}

long ftell(FILE *f) {
  if (fflush(f)) return -1;
  DWORD pos = SetFilePointer(f->h, 0, 0, FILE_CURRENT);
  if (pos == INVALID_SET_FILE_POINTER) return -1;
  return (long)pos - (long)(f->rlen - f->rpos) - (f->unget != EOF);
}

void __crt_flush_all(void) {
  std_init();
  fflush(stdout);
  fflush(stderr);
  for (int i = 0; i < 64; i++)
    if (open_files[i]) fflush(open_files[i]);
}
