/* cmd.exe output and small helpers: formatted output to the current
 * standard handles ("\n" becomes "\r\n", as cmd writes CRLF), Windows'
 * message texts for error codes, thousands separators, case-insensitive
 * comparison, word splitting that keeps quotes, and the prompt ($P$G...). */
#include "cmd.h"

void out_write(HANDLE h, const char *s, size_t n) {
  char buf[1024];
  size_t o = 0;
  DWORD done;
  for (size_t i = 0; i < n; i++) {
    if (o + 2 >= sizeof buf) {
      WriteFile(h, buf, (DWORD)o, &done, NULL);
      o = 0;
    }
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) buf[o++] = '\r';
    buf[o++] = s[i];
  }
  if (o) WriteFile(h, buf, (DWORD)o, &done, NULL);
}

static void vput(HANDLE h, const char *fmt, va_list ap) {
  char buf[4096];
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  if (n < 0) return;
  if ((size_t)n >= sizeof buf) n = sizeof buf - 1;
  out_write(h, buf, (size_t)n);
}

void outf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vput(g_out, fmt, ap);
  va_end(ap);
}

void errf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vput(g_err, fmt, ap);
  va_end(ap);
}

/* The message cmd prints for a Win32 error code (the system's message table wording). */
void print_win32_error(DWORD code) {
  const char *m;
  switch (code) {
  case ERROR_FILE_NOT_FOUND: m = "The system cannot find the file specified."; break;
  case ERROR_PATH_NOT_FOUND: m = "The system cannot find the path specified."; break;
  case ERROR_ACCESS_DENIED: m = "Access is denied."; break;
  case ERROR_INVALID_NAME:
    m = "The filename, directory name, or volume label syntax is incorrect.";
    break;
  case ERROR_DIR_NOT_EMPTY: m = "The directory is not empty."; break;
  case ERROR_SHARING_VIOLATION:
    m = "The process cannot access the file because it is being used by another process.";
    break;
  case ERROR_FILE_EXISTS: m = "The file exists."; break;
  case ERROR_ALREADY_EXISTS: m = "Cannot create a file when that file already exists."; break;
  case ERROR_DIRECTORY: m = "The directory name is invalid."; break;
  case ERROR_NOT_ENOUGH_MEMORY: m = "Not enough memory resources are available to process this command."; break;
  default: errf("Error %lu.\n", (unsigned long)code); return;
  }
  errf("%s\n", m);
}

void with_commas(unsigned long long v, char *out) {
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "%llu", v), o = 0;
  for (int i = 0; i < n; i++) {
    if (i && (n - i) % 3 == 0) out[o++] = ',';
    out[o++] = tmp[i];
  }
  out[o] = 0;
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

int ci_eq(const char *a, const char *b) {
  for (; *a && *b; a++, b++)
    if (lower((unsigned char)*a) != lower((unsigned char)*b)) return 0;
  return *a == *b;
}

int ci_prefix(const char *s, const char *prefix) {
  for (; *prefix; s++, prefix++)
    if (lower((unsigned char)*s) != lower((unsigned char)*prefix)) return 0;
  return 1;
}

int is_ws(int c) { return c == ' ' || c == '\t' || c == ',' || c == ';' || c == '='; }

char *skip_ws(const char *s) {
  while (*s == ' ' || *s == '\t') s++;
  return (char *)s;
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    errf("Not enough memory resources are available to process this command.\n");
    ExitProcess(1);
  }
  return p;
}

char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(xmalloc(n), s, n);
}

void rtrim(char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
    s[--n] = 0;
}

/* Removes every double quote. */
void unquote(char *s) {
  char *o = s;
  for (; *s; s++)
    if (*s != '"') *o++ = *s;
  *o = 0;
}

/* Words separated by spaces, tabs (and , ; = outside quotes); quotes are kept. */
int split_words(const char *text, char **words, int max, char *store) {
  int n = 0;
  const char *p = text;
  char *o = store;
  for (;;) {
    while (*p && is_ws((unsigned char)*p)) p++;
    if (!*p || n >= max) break;
    words[n++] = o;
    int q = 0;
    for (; *p && (q || !is_ws((unsigned char)*p)); p++) {
      if (*p == '"') q = !q;
      *o++ = *p;
    }
    *o++ = 0;
  }
  return n;
}

/* Expands PROMPT ($P path, $G >, $L <, $N drive, $_ newline, $$ $, $S space, $T, $D). */
void prompt_string(char *out, size_t size) {
  char fmt[256], cwd[MAX_PATH];
  DWORD n = GetEnvironmentVariableA("PROMPT", fmt, sizeof fmt);
  if (n == 0 || n >= sizeof fmt) strcpy(fmt, "$P$G");
  if (!GetCurrentDirectoryA(sizeof cwd, cwd)) strcpy(cwd, "C:\\");
  size_t o = 0;
  for (const char *p = fmt; *p && o + MAX_PATH + 2 < size; p++) {
    if (*p != '$' || !p[1]) {
      out[o++] = *p;
      continue;
    }
    p++;
    switch (lower((unsigned char)*p)) {
    case 'p': o += (size_t)snprintf(out + o, size - o, "%s", cwd); break;
    case 'g': out[o++] = '>'; break;
    case 'l': out[o++] = '<'; break;
    case 'b': out[o++] = '|'; break;
    case 'q': out[o++] = '='; break;
    case 's': out[o++] = ' '; break;
    case '$': out[o++] = '$'; break;
    case '_': out[o++] = '\r'; out[o++] = '\n'; break;
    case 'n': out[o++] = cwd[0]; break;
    case 'e': out[o++] = 27; break;
    default: break;
    }
  }
  out[o] = 0;
}
