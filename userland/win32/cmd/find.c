/* find: searches for a text string in files or standard input, as
 * Windows' find does.
 *   find [/v] [/c] [/n] [/i] "string" [file ...]
 * /v lines without the string, /c only the count, /n line numbers ("[N]"),
 * /i without case. The string must be in double quotes (find reads its
 * command line itself, as Windows' find does). For each file a "---------- NAME" header (the name in
 * capitals; with /c followed by ": count"); file names may hold * and ?.
 * Exit code 0 when a line matched, 1 when none did, 2 on a bad parameter or
 * a missing file. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int opt_v, opt_c, opt_n, opt_i;
static const char *needle;

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int contains(const char *line, size_t len) {
  size_t n = strlen(needle);
  if (n == 0) return 0; /* "" is never found, so /v "" counts every line */
  for (size_t i = 0; i + n <= len; i++) {
    size_t k = 0;
    if (opt_i)
      while (k < n && lower((unsigned char)line[i + k]) == lower((unsigned char)needle[k])) k++;
    else
      while (k < n && line[i + k] == needle[k]) k++;
    if (k == n) return 1;
  }
  return 0;
}

/* Searches the text of one file or stream; returns the number of lines shown. */
static long search(HANDLE h, const char *header) {
  size_t cap = 65536, len = 0;
  char *text = malloc(cap);
  DWORD got;
  while (text && ReadFile(h, text + len, (DWORD)(cap - len), &got, NULL) && got) {
    len += got;
    if (len == cap) {
      char *bigger = realloc(text, cap * 2);
      if (!bigger) break;
      text = bigger;
      cap *= 2;
    }
  }
  if (!text) return 0;
  if (header && !opt_c) printf("\n---------- %s\n", header);
  long count = 0, lineno = 0;
  for (size_t pos = 0; pos < len;) {
    size_t end = pos;
    while (end < len && text[end] != '\n') end++;
    size_t l = end;
    if (l > pos && text[l - 1] == '\r') l--;
    lineno++;
    if (contains(text + pos, l - pos) != opt_v) {
      count++;
      if (!opt_c) {
        if (opt_n) printf("[%ld]", lineno);
        printf("%.*s\n", (int)(l - pos), text + pos);
      }
    }
    pos = end + 1;
  }
  if (opt_c) {
    if (header) printf("\n---------- %s: %ld\n", header, count);
    else printf("%ld\n", count);
  }
  free(text);
  return count;
}

static void upper_name(const char *in, char *out, size_t size) {
  size_t i = 0;
  for (; in[i] && i + 1 < size; i++) out[i] = in[i] >= 'a' && in[i] <= 'z' ? in[i] - 32 : in[i];
  out[i] = 0;
}

static int search_file(const char *name, long *matched) {
  char upper[MAX_PATH];
  HANDLE h = CreateFileA(name, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                         OPEN_EXISTING, 0, NULL);
  if (h == INVALID_HANDLE_VALUE) {
    upper_name(name, upper, sizeof upper);
    fflush(stdout);
    fprintf(stderr, "File not found - %s\n", upper);
    return 0;
  }
  upper_name(name, upper, sizeof upper);
  *matched += search(h, upper);
  CloseHandle(h);
  return 1;
}

/* The next word of the command line (quotes removed; *quoted tells whether
 * it was quoted); NULL at the end. Windows' find reads its command line
 * itself: the string must be in quotes, and "" is an empty string. */
static char *next_word(const char **p, int *quoted) {
  static char word[4096];
  size_t o = 0;
  while (**p == ' ' || **p == '\t') (*p)++;
  if (!**p) return NULL;
  *quoted = **p == '"';
  int q = 0;
  for (; **p && (q || (**p != ' ' && **p != '\t')); (*p)++) {
    if (**p == '"') q = !q;
    else if (o + 1 < sizeof word) word[o++] = **p;
  }
  word[o] = 0;
  return word;
}

int main(void) {
  int files = 0, bad = 0, quoted;
  long matched = 0;
  char path[MAX_PATH], *names[64];
  int nnames = 0;
  const char *p = GetCommandLineA();
  if (*p == '"') {
    for (p++; *p && *p != '"'; p++) {
    }
    if (*p) p++;
  } else {
    while (*p && *p != ' ' && *p != '\t') p++;
  }
  for (char *w; (w = next_word(&p, &quoted));) {
    if (!quoted && w[0] == '/' && w[1] && !w[2]) {
      switch (w[1] | 0x20) {
      case 'v': opt_v = 1; continue;
      case 'c': opt_c = 1; continue;
      case 'n': opt_n = 1; continue;
      case 'i': opt_i = 1; continue;
      default:
        fprintf(stderr, "FIND: Invalid switch\n");
        return 2;
      }
    }
    if (!needle) {
      if (!quoted) {
        fprintf(stderr, "FIND: Parameter format not correct\n");
        return 2;
      }
      needle = _strdup(w);
    } else if (nnames < 64) {
      names[nnames++] = _strdup(w);
    }
  }
  if (!needle) {
    fprintf(stderr, "FIND: Parameter format not correct\n");
    return 2;
  }
  for (int i = 0; i < nnames; i++) {
    files++;
    if (!strpbrk(names[i], "*?")) {
      bad |= !search_file(names[i], &matched);
      continue;
    }
    WIN32_FIND_DATAA fd;
    HANDLE f = FindFirstFileA(names[i], &fd);
    if (f == INVALID_HANDLE_VALUE) {
      bad |= !search_file(names[i], &matched);
      continue;
    }
    size_t dl = 0;
    for (size_t k = 0; names[i][k]; k++)
      if (strchr("\\/:", names[i][k])) dl = k + 1;
    do {
      if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) continue;
      snprintf(path, sizeof path, "%.*s%s", (int)dl, names[i], fd.cFileName);
      search_file(path, &matched);
    } while (FindNextFileA(f, &fd));
    FindClose(f);
  }
  if (!files) matched = search(GetStdHandle(STD_INPUT_HANDLE), NULL);
  if (bad) return 2;
  return matched ? 0 : 1;
}
