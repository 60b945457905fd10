/* Strata sh: Tab completion for the line editor.
 *
 * The word before the cursor is completed as a command name (builtins,
 * functions, aliases, then executables in PATH) when it is in command
 * position and has no `/`, and as a path otherwise (`~/` meaning $HOME).
 * Directories get a trailing `/`. Matches are sorted and unique. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

#define MAX_MATCHES 4096

static int is_break(char c) {
  return c == ' ' || c == '\t' || c == ';' || c == '|' || c == '&' || c == '(' || c == ')' ||
         c == '<' || c == '>' || c == '`';
}

static void add_match(struct completion *c, const char *name, size_t n, int dir) {
  if (c->n >= MAX_MATCHES) return;
  if (c->n == c->cap) {
    int cap = c->cap ? c->cap * 2 : 32;
    char **m = realloc(c->matches, (size_t)cap * sizeof(char *));
    if (!m) return;
    c->matches = m;
    c->cap = cap;
  }
  char *s = malloc(n + 2);
  if (!s) return;
  memcpy(s, name, n);
  if (dir) s[n++] = '/';
  s[n] = 0;
  c->matches[c->n++] = s;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_unique(struct completion *c) {
  if (c->n < 2) return;
  qsort(c->matches, (size_t)c->n, sizeof(char *), cmp_str);
  int out = 1;
  for (int i = 1; i < c->n; i++) {
    if (strcmp(c->matches[i], c->matches[out - 1]) == 0) free(c->matches[i]);
    else c->matches[out++] = c->matches[i];
  }
  c->n = out;
}

/* Names in dir starting with prefix; only_exec: executable regular files. */
static void scan_dir(struct completion *c, const char *dir, const char *prefix, size_t plen,
                     int only_exec) {
  DIR *d = opendir(*dir ? dir : ".");
  if (!d) return;
  struct dirent *ent;
  size_t dlen = strlen(dir);
  while ((ent = readdir(d)) != NULL) {
    const char *name = ent->d_name;
    if (strncmp(name, prefix, plen) != 0) continue;
    if (name[0] == '.' && (plen == 0 || prefix[0] != '.')) continue;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
    size_t nlen = strlen(name);
    char *path = malloc(dlen + nlen + 2);
    if (!path) break;
    memcpy(path, dir, dlen);
    memcpy(path + dlen, name, nlen + 1);
    struct stat st;
    int ok = stat(*dir ? path : name, &st) == 0;
    int is_dir = ok && S_ISDIR(st.st_mode);
    if (!only_exec) add_match(c, name, nlen, is_dir);
    else if (ok && S_ISREG(st.st_mode) && access(path, X_OK) == 0) add_match(c, name, nlen, 0);
    free(path);
  }
  closedir(d);
}

static void complete_command(struct completion *c, const char *word, size_t n) {
  const char *name;
  for (int i = 0; (name = builtin_name(i)) != NULL; i++)
    if (strncmp(name, word, n) == 0) add_match(c, name, strlen(name), 0);
  for (int i = 0; (name = func_name(i)) != NULL; i++)
    if (strncmp(name, word, n) == 0) add_match(c, name, strlen(name), 0);
  for (int i = 0; (name = alias_name(i)) != NULL; i++)
    if (strncmp(name, word, n) == 0) add_match(c, name, strlen(name), 0);
  const char *path = var_get("PATH");
  if (!path) path = "/bin";
  char prefix[256];
  if (n >= sizeof prefix) return;
  memcpy(prefix, word, n);
  prefix[n] = 0;
  for (;;) {
    const char *colon = strchr(path, ':');
    size_t len = colon ? (size_t)(colon - path) : strlen(path);
    char dir[512];
    if (len + 3 < sizeof dir) {
      memcpy(dir, path, len);
      if (len == 0) dir[len++] = '.';
      dir[len++] = '/';
      dir[len] = 0;
      scan_dir(c, dir, prefix, n, 1);
    }
    if (!colon) break;
    path = colon + 1;
  }
}

static void complete_path(struct completion *c, const char *word, size_t n) {
  const char *slash = NULL;
  for (size_t i = 0; i < n; i++)
    if (word[i] == '/') slash = word + i;
  char dir[1024];
  size_t dlen = slash ? (size_t)(slash - word) + 1 : 0;
  if (dlen >= sizeof dir) return;
  memcpy(dir, word, dlen);
  dir[dlen] = 0;
  /* ~/...: look in $HOME (the typed ~ stays in the line). */
  const char *home = var_get("HOME");
  if (dlen >= 2 && word[0] == '~' && word[1] == '/' && home) {
    size_t hl = strlen(home);
    if (hl + dlen >= sizeof dir) return;
    memmove(dir + hl, dir + 1, dlen);
    memcpy(dir, home, hl);
    if (hl && home[hl - 1] == '/') memmove(dir + hl - 1, dir + hl, strlen(dir + hl) + 1);
  }
  const char *base = word + dlen;
  size_t blen = n - dlen;
  char prefix[256];
  if (blen >= sizeof prefix) return;
  memcpy(prefix, base, blen);
  prefix[blen] = 0;
  c->typed_len = blen;
  scan_dir(c, dir, prefix, blen, 0);
}

int complete_word(const char *line, size_t pos, struct completion *c) {
  memset(c, 0, sizeof *c);
  size_t start = pos;
  while (start > 0 && !is_break(line[start - 1])) start--;
  const char *word = line + start;
  size_t n = pos - start;
  size_t k = start;
  while (k > 0 && (line[k - 1] == ' ' || line[k - 1] == '\t')) k--;
  int command_pos = k == 0 || strchr(";|&(`", line[k - 1]) != NULL;
  if (command_pos && !memchr(word, '/', n)) {
    c->typed_len = n;
    complete_command(c, word, n);
  } else {
    complete_path(c, word, n);
  }
  sort_unique(c);
  return 0;
}

void complete_free(struct completion *c) {
  for (int i = 0; i < c->n; i++) free(c->matches[i]);
  free(c->matches);
  memset(c, 0, sizeof *c);
}

size_t complete_quote(const char *s, size_t n, char *out, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < n && o + 2 < cap; i++) {
    if (strchr(" \t'\"\\$`&|;<>()*?[]#~!", s[i])) out[o++] = '\\';
    out[o++] = s[i];
  }
  return o;
}
