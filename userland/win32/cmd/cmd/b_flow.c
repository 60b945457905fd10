/* if and for. The conditions of "if": [not] exist FILE (wildcards allowed),
 * [not] errorlevel N (true when the errorlevel is N or more), [not] defined
 * VAR, cmdextversion N, and comparisons STR1==STR2 (quotes are part of the
 * strings) or STR1 OP STR2 with EQU NEQ LSS LEQ GTR GEQ (numeric when both
 * sides are numbers), /i for case-insensitive. "for %X in (set) do ...":
 * words of the set with * or ? expand to the matching files (/d: folders);
 * "for /l %X in (start,step,end)" counts. */
#include "cmd.h"

static int has_wild(const char *s) { return strpbrk(s, "*?") != NULL; }

static int exists(const char *name) {
  if (!has_wild(name)) return GetFileAttributesA(name) != INVALID_FILE_ATTRIBUTES;
  WIN32_FIND_DATAA fd;
  HANDLE h = FindFirstFileA(name, &fd);
  if (h == INVALID_HANDLE_VALUE) return 0;
  FindClose(h);
  return 1;
}

static int numeric(const char *s, long *v) {
  char *end;
  if (!*s) return 0;
  *v = strtol(s, &end, 0);
  return *end == 0;
}

/* 1 true, 0 false, -1 bad operator. */
static int compare(const char *a, const char *op, const char *b, int icase) {
  if (strcmp(op, "==") == 0) return (icase ? _stricmp(a, b) : strcmp(a, b)) == 0;
  static const char *const ops[] = {"EQU", "NEQ", "LSS", "LEQ", "GTR", "GEQ"};
  int k = -1;
  for (int i = 0; i < 6; i++)
    if (ci_eq(op, ops[i])) k = i;
  if (k < 0) return -1;
  long x, y, d;
  if (numeric(a, &x) && numeric(b, &y)) d = x < y ? -1 : x > y;
  else d = icase ? _stricmp(a, b) : strcmp(a, b);
  switch (k) {
  case 0: return d == 0;
  case 1: return d != 0;
  case 2: return d < 0;
  case 3: return d <= 0;
  case 4: return d > 0;
  default: return d >= 0;
  }
}

int run_if(struct node *n) {
  char a[LINE_MAX_LEN], b[LINE_MAX_LEN], v[8];
  subst_for_vars(n->a, a, sizeof a);
  subst_for_vars(n->b ? n->b : "", b, sizeof b);
  int t;
  if (strcmp(n->cond, "exist") == 0) {
    unquote(a);
    t = exists(a);
  } else if (strcmp(n->cond, "errorlevel") == 0) {
    t = g_errorlevel >= atoi(a);
  } else if (strcmp(n->cond, "defined") == 0) {
    t = GetEnvironmentVariableA(a, v, sizeof v) > 0;
  } else if (strcmp(n->cond, "cmdextversion") == 0) {
    t = 2 >= atoi(a);
  } else {
    t = compare(a, n->op, b, n->icase);
    if (t < 0) {
      errf("%s was unexpected at this time.\n", n->op);
      g_errorlevel = 255;
      return 255;
    }
  }
  if (n->negate) t = !t;
  if (t) return run_node(n->left);
  if (n->right) return run_node(n->right);
  return 0;
}

static int run_body(struct node *n, const char *value) {
  push_for_var(n->forvar, value);
  int rc = run_node(n->left);
  pop_for_var();
  return rc;
}

static int cmp_name(const void *x, const void *y) {
  return _stricmp(*(char *const *)x, *(char *const *)y);
}

/* Runs the body for each match of pattern, in name order (as NTFS lists them). */
static void for_wild(struct node *n, const char *pattern, int dirs, int *rc) {
  WIN32_FIND_DATAA fd;
  HANDLE h = FindFirstFileA(pattern, &fd);
  if (h == INVALID_HANDLE_VALUE) return;
  size_t dirlen = 0;
  int count = 0, cap = 32;
  char **names = xmalloc(sizeof *names * (size_t)cap);
  for (size_t i = 0; pattern[i]; i++)
    if (pattern[i] == '\\' || pattern[i] == '/' || pattern[i] == ':') dirlen = i + 1;
  do {
    int isdir = (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    if (isdir != dirs || strcmp(fd.cFileName, ".") == 0 || strcmp(fd.cFileName, "..") == 0)
      continue;
    if (count == cap) {
      char **more = xmalloc(sizeof *names * (size_t)cap * 2);
      memcpy(more, names, sizeof *names * (size_t)count);
      free(names);
      names = more;
      cap *= 2;
    }
    names[count++] = xstrdup(fd.cFileName);
  } while (FindNextFileA(h, &fd));
  FindClose(h);
  qsort(names, (size_t)count, sizeof *names, cmp_name);
  for (int i = 0; i < count; i++) {
    char value[MAX_PATH * 2];
    snprintf(value, sizeof value, "%.*s%s", (int)dirlen, pattern, names[i]);
    if (!g_exit && !g_abort_line) *rc = run_body(n, value);
    free(names[i]);
  }
  free(names);
}

static int for_count(struct node *n, const char *set) {
  long v[3] = {0, 0, 0};
  char store[LINE_MAX_LEN], *w[3];
  int k = split_words(set, w, 3, store), rc = 0;
  for (int i = 0; i < k; i++) v[i] = strtol(w[i], NULL, 0);
  if (v[1] == 0) return 0;
  for (long i = v[0]; (v[1] > 0 ? i <= v[2] : i >= v[2]) && !g_exit && !g_abort_line; i += v[1]) {
    char num[24];
    snprintf(num, sizeof num, "%ld", i);
    rc = run_body(n, num);
  }
  return rc;
}

int run_for(struct node *n) {
  char set[LINE_MAX_LEN], store[LINE_MAX_LEN], *words[256];
  subst_for_vars(n->set, set, sizeof set);
  if (ci_eq(n->cond, "l")) return for_count(n, set);
  if (*n->cond && !ci_eq(n->cond, "d")) {
    errf("/%s was unexpected at this time.\n", n->cond);
    return g_errorlevel = 255;
  }
  int dirs = ci_eq(n->cond, "d"), rc = 0;
  int count = split_words(set, words, 256, store);
  for (int i = 0; i < count && !g_exit && !g_abort_line; i++) {
    if (has_wild(words[i])) {
      unquote(words[i]);
      for_wild(n, words[i], dirs, &rc);
    } else {
      rc = run_body(n, words[i]);
    }
  }
  return rc;
}
