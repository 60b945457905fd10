/* sort: sorts lines of standard input (or a file) as Windows' sort does:
 * without case, a stable sort (equal lines keep their order).
 *   sort [/r] [/o outfile] [file]
 * /r reverses the order; /o writes to a file instead of standard output. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct line {
  char *text;
  size_t len;
  size_t index;
};

static int reverse;

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int compare(const void *x, const void *y) {
  const struct line *a = x, *b = y;
  size_t n = a->len < b->len ? a->len : b->len;
  for (size_t i = 0; i < n; i++) {
    int d = lower((unsigned char)a->text[i]) - lower((unsigned char)b->text[i]);
    if (d) return reverse ? -d : d;
  }
  if (a->len != b->len) return (a->len < b->len ? -1 : 1) * (reverse ? -1 : 1);
  return a->index < b->index ? -1 : a->index > b->index;
}

static char *read_all(HANDLE h, size_t *len) {
  size_t cap = 65536;
  char *text = malloc(cap);
  DWORD got;
  *len = 0;
  while (text && ReadFile(h, text + *len, (DWORD)(cap - *len), &got, NULL) && got) {
    *len += got;
    if (*len == cap) {
      char *bigger = realloc(text, cap * 2);
      if (!bigger) return text;
      text = bigger;
      cap *= 2;
    }
  }
  return text;
}

int main(int argc, char **argv) {
  const char *in = NULL, *out = NULL;
  for (int i = 1; i < argc; i++) {
    if ((argv[i][0] == '/') && (argv[i][1] | 0x20) == 'r' && !argv[i][2]) reverse = 1;
    else if ((argv[i][0] == '/') && (argv[i][1] | 0x20) == 'o' && !argv[i][2] && i + 1 < argc)
      out = argv[++i];
    else if (argv[i][0] == '/') {
      fprintf(stderr, "Invalid switch.\n");
      return 1;
    } else in = argv[i];
  }
  HANDLE h = GetStdHandle(STD_INPUT_HANDLE);
  if (in) {
    h = CreateFileA(in, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
      fprintf(stderr, "The system cannot find the file specified.\n");
      return 1;
    }
  }
  size_t len, n = 0, cap = 1024;
  char *text = read_all(h, &len);
  struct line *lines = malloc(cap * sizeof *lines);
  if (!text || !lines) return 1;
  for (size_t pos = 0; pos < len;) {
    size_t end = pos;
    while (end < len && text[end] != '\n') end++;
    size_t l = end;
    if (l > pos && text[l - 1] == '\r') l--;
    if (n == cap) {
      struct line *bigger = realloc(lines, cap * 2 * sizeof *lines);
      if (!bigger) return 1;
      lines = bigger;
      cap *= 2;
    }
    lines[n].text = text + pos;
    lines[n].len = l - pos;
    lines[n].index = n;
    n++;
    pos = end + 1;
  }
  qsort(lines, n, sizeof *lines, compare);
  FILE *f = stdout;
  if (out && !(f = fopen(out, "w"))) {
    fprintf(stderr, "The system cannot find the path specified.\n");
    return 1;
  }
  for (size_t i = 0; i < n; i++) fprintf(f, "%.*s\n", (int)lines[i].len, lines[i].text);
  if (f != stdout) fclose(f);
  return 0;
}
