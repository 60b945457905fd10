/* find [PATH...] [EXPRESSION]: walk directory trees (default "."), evaluating EXPRESSION for
 * every file. Entries are visited in name order, parents before children (children first
 * when -delete or -depth is used). Symbolic links are never followed.
 * Tests: -name PATTERN (glob with * ? [...] on the last name component), -type f|d|l|c|b|p|s,
 *   -newer FILE, -size [+-]N[c|w|b|k|M|G] (units rounded up; default 512-byte blocks), -empty.
 * Actions: -print, -exec CMD... {} ; (true when CMD exits 0), -delete, -prune (do not
 *   descend into this directory; no effect with -depth).
 * Options: -maxdepth N, -mindepth N, -depth.
 * Operators: ( EXPR ), ! EXPR or -not EXPR, EXPR [-a] EXPR, EXPR -o EXPR.
 * With no action in EXPRESSION, matching files are printed. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: find [PATH...] [EXPRESSION]\n"
    "\n"
    "Default path is the current directory; default expression is -print.\n"
    "\n"
    "Options:    -depth -maxdepth LEVELS -mindepth LEVELS\n"
    "Tests:      -name PATTERN -type [bcdpfls] -newer FILE -size N[bcwkMG] -empty\n"
    "Actions:    -print -exec COMMAND ; -delete -prune\n"
    "Operators:  ( EXPR ) ! EXPR -not EXPR EXPR1 -a EXPR2 EXPR1 -o EXPR2\n"
    "\n"
    "      --help     display this help and exit\n";


enum kind { AND, OR, NOT, TRUE, NAME, TYPE, NEWER, SIZE, EMPTY, PRINT, EXEC, DELETE, PRUNE };

struct node {
  enum kind kind;
  struct node *left, *right;
  const char *str;  /* NAME pattern */
  char **argv;      /* EXEC command, with "{}" substituted per file */
  int argc;
  int cmp;          /* SIZE: -1, 0, +1 */
  long long num;    /* SIZE count, TYPE mode bits */
  long long unit;   /* SIZE unit in bytes */
  struct timespec when; /* NEWER */
};

static char **args;
static int nargs, pos, status, has_action, post_order, pruned;
static long maxdepth = -1, mindepth = 0;

static void fail(const char *fmt, const char *arg) {
  fputs("find: ", stderr);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  exit(1);
}

static struct node *new_node(enum kind kind, struct node *left, struct node *right) {
  struct node *n = calloc(1, sizeof *n);
  if (!n) fail("%s", "out of memory");
  n->kind = kind;
  n->left = left;
  n->right = right;
  return n;
}

static const char *need_arg(const char *primary) {
  if (pos >= nargs) fail("missing argument to `%s'", primary);
  return args[pos++];
}

static long depth_arg(const char *primary) {
  const char *s = need_arg(primary);
  char *end;
  long v = strtol(s, &end, 10);
  if (*s < '0' || *s > '9' || *end || v < 0) {
    fprintf(stderr, "find: Expected a positive decimal integer argument to %s, but got '%s'\n",
            primary, s);
    exit(1);
  }
  return v;
}

static struct node *parse_or(void);

static struct node *parse_primary(void) {
  if (pos >= nargs) fail("%s", "invalid expression");
  const char *a = args[pos++];
  if (!strcmp(a, "(")) {
    struct node *n = parse_or();
    if (pos >= nargs || strcmp(args[pos], ")"))
      fail("%s", "invalid expression; I was expecting to find a ')' somewhere but did not see one.");
    pos++;
    return n;
  }
  if (!strcmp(a, "!") || !strcmp(a, "-not")) return new_node(NOT, parse_primary(), NULL);
  if (!strcmp(a, "-name")) {
    struct node *n = new_node(NAME, NULL, NULL);
    n->str = need_arg(a);
    return n;
  }
  if (!strcmp(a, "-type")) {
    const char *t = need_arg(a);
    const char *types = "fdlcbps";
    static const long long modes[] = {S_IFREG, S_IFDIR, S_IFLNK, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK};
    const char *p = t[0] && !t[1] ? strchr(types, t[0]) : NULL;
    if (!p) fail("Unknown argument to -type: %s", t);
    struct node *n = new_node(TYPE, NULL, NULL);
    n->num = modes[p - types];
    return n;
  }
  if (!strcmp(a, "-newer")) {
    const char *f = need_arg(a);
    struct stat st;
    if (stat(f, &st) < 0) {
      fprintf(stderr, "find: '%s': %s\n", f, strerror(errno));
      exit(1);
    }
    struct node *n = new_node(NEWER, NULL, NULL);
    n->when = st.st_mtim;
    return n;
  }
  if (!strcmp(a, "-size")) {
    const char *s = need_arg(a);
    struct node *n = new_node(SIZE, NULL, NULL);
    if (*s == '+' || *s == '-') n->cmp = *s++ == '+' ? 1 : -1;
    char *end;
    n->num = strtoll(s, &end, 10);
    if (end == s || *s < '0' || *s > '9') fail("invalid -size type `%s'", end);
    const char *units = "cwbkMG";
    static const long long sizes[] = {1, 2, 512, 1024, 1024 * 1024, 1024 * 1024 * 1024};
    n->unit = 512;
    if (*end) {
      const char *u = strchr(units, *end);
      if (!u || end[1]) fail("invalid -size type `%s'", end);
      n->unit = sizes[u - units];
    }
    return n;
  }
  if (!strcmp(a, "-empty")) return new_node(EMPTY, NULL, NULL);
  if (!strcmp(a, "-print")) {
    has_action = 1;
    return new_node(PRINT, NULL, NULL);
  }
  if (!strcmp(a, "-delete")) {
    has_action = post_order = 1;
    return new_node(DELETE, NULL, NULL);
  }
  if (!strcmp(a, "-exec")) {
    struct node *n = new_node(EXEC, NULL, NULL);
    int start = pos;
    while (pos < nargs && strcmp(args[pos], ";")) pos++;
    if (pos >= nargs || pos == start) fail("missing argument to `%s'", a);
    n->argv = args + start;
    n->argc = pos - start;
    pos++;
    has_action = 1;
    return n;
  }
  if (!strcmp(a, "-maxdepth")) {
    maxdepth = depth_arg(a);
    return new_node(TRUE, NULL, NULL);
  }
  if (!strcmp(a, "-mindepth")) {
    mindepth = depth_arg(a);
    return new_node(TRUE, NULL, NULL);
  }
  if (!strcmp(a, "-prune")) return new_node(PRUNE, NULL, NULL);
  if (!strcmp(a, "-depth")) {
    post_order = 1;
    return new_node(TRUE, NULL, NULL);
  }
  if (!strcmp(a, ")")) fail("%s", "you have too many ')'");
  if (a[0] == '-' && a[1]) fail("unknown predicate `%s'", a);
  fail("paths must precede expression: `%s'", a);
  return NULL;
}

static struct node *parse_and(void) {
  struct node *n = parse_primary();
  while (pos < nargs && strcmp(args[pos], "-o") && strcmp(args[pos], "-or") &&
         strcmp(args[pos], ")")) {
    if (!strcmp(args[pos], "-a") || !strcmp(args[pos], "-and")) pos++;
    n = new_node(AND, n, parse_primary());
  }
  return n;
}

static struct node *parse_or(void) {
  struct node *n = parse_and();
  while (pos < nargs && (!strcmp(args[pos], "-o") || !strcmp(args[pos], "-or"))) {
    pos++;
    n = new_node(OR, n, parse_and());
  }
  return n;
}

/* Glob match of NAME against PATTERN: * ? [set] [!set] [^set] and \ escapes. */
static int glob_match(const char *pat, const char *name) {
  for (; *pat; pat++, name++) {
    if (*pat == '*') {
      while (pat[1] == '*') pat++;
      for (const char *s = name;; s++) {
        if (glob_match(pat + 1, s)) return 1;
        if (!*s) return 0;
      }
    }
    if (!*name) return 0;
    if (*pat == '?') continue;
    if (*pat == '[') {
      const char *p = pat + 1;
      int negate = *p == '!' || *p == '^';
      if (negate) p++;
      int found = 0;
      const char *first = p;
      while (*p && (*p != ']' || p == first)) {
        unsigned char lo = (unsigned char)*p, hi = lo;
        if (p[1] == '-' && p[2] && p[2] != ']') {
          hi = (unsigned char)p[2];
          p += 2;
        }
        if ((unsigned char)*name >= lo && (unsigned char)*name <= hi) found = 1;
        p++;
      }
      if (*p == ']') {
        if (found == negate) return 0;
        pat = p;
        continue;
      }
      /* No closing bracket: the [ is an ordinary character. */
    }
    if (*pat == '\\' && pat[1]) pat++;
    if (*pat != *name) return 0;
  }
  return *name == 0;
}

static const char *base_name(const char *path, char *buf, size_t size) {
  size_t len = strlen(path);
  while (len > 1 && path[len - 1] == '/') len--;
  size_t start = len;
  while (start > 0 && path[start - 1] != '/') start--;
  if (start == len) start = len > 0 ? len - 1 : 0; /* "/" */
  snprintf(buf, size, "%.*s", (int)(len - start), path + start);
  return buf;
}

static int is_empty(const char *path, const struct stat *st) {
  if (S_ISREG(st->st_mode)) return st->st_size == 0;
  if (!S_ISDIR(st->st_mode)) return 0;
  DIR *d = opendir(path);
  if (!d) {
    fprintf(stderr, "find: '%s': %s\n", path, strerror(errno));
    status = 1;
    return 0;
  }
  struct dirent *e;
  int empty = 1;
  while (empty && (e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) empty = 0;
  closedir(d);
  return empty;
}

static int run_exec(const struct node *n, const char *path) {
  char **argv = calloc((size_t)n->argc + 1, sizeof *argv);
  if (!argv) fail("%s", "out of memory");
  for (int i = 0; i < n->argc; i++) {
    const char *a = n->argv[i];
    const char *hit = strstr(a, "{}");
    if (!hit) {
      argv[i] = (char *)a;
      continue;
    }
    /* Replace every "{}" by the path. */
    size_t count = 0;
    for (const char *s = a; (s = strstr(s, "{}")); s += 2) count++;
    char *out = malloc(strlen(a) + count * strlen(path) + 1), *o = out;
    if (!out) fail("%s", "out of memory");
    for (const char *s = a; *s;) {
      if (s[0] == '{' && s[1] == '}') {
        strcpy(o, path);
        o += strlen(path);
        s += 2;
      } else {
        *o++ = *s++;
      }
    }
    *o = 0;
    argv[i] = out;
  }
  fflush(stdout);
  int ok = 0;
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[0], argv);
    fprintf(stderr, "find: '%s': %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  if (pid < 0) {
    fprintf(stderr, "find: cannot fork: %s\n", strerror(errno));
    status = 1;
  } else {
    int ws;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
    }
    ok = WIFEXITED(ws) && WEXITSTATUS(ws) == 0;
  }
  for (int i = 0; i < n->argc; i++)
    if (argv[i] != n->argv[i]) free(argv[i]);
  free(argv);
  return ok;
}

static int eval(const struct node *n, const char *path, const struct stat *st) {
  char buf[256];
  switch (n->kind) {
  case AND: return eval(n->left, path, st) && eval(n->right, path, st);
  case OR: return eval(n->left, path, st) || eval(n->right, path, st);
  case NOT: return !eval(n->left, path, st);
  case TRUE: return 1;
  case NAME: return glob_match(n->str, base_name(path, buf, sizeof buf));
  case TYPE: return (long long)(st->st_mode & S_IFMT) == n->num;
  case NEWER:
    return st->st_mtim.tv_sec > n->when.tv_sec ||
           (st->st_mtim.tv_sec == n->when.tv_sec && st->st_mtim.tv_nsec > n->when.tv_nsec);
  case SIZE: {
    long long units = (st->st_size + n->unit - 1) / n->unit;
    return n->cmp > 0 ? units > n->num : n->cmp < 0 ? units < n->num : units == n->num;
  }
  case EMPTY: return is_empty(path, st);
  case PRINT: puts(path); return 1;
  case EXEC: return run_exec(n, path);
  case PRUNE: pruned = 1; return 1;
  case DELETE:
    if (!strcmp(path, ".")) return 1;
    if ((S_ISDIR(st->st_mode) ? rmdir(path) : unlink(path)) < 0) {
      fprintf(stderr, "find: cannot delete '%s': %s\n", path, strerror(errno));
      status = 1;
      return 0;
    }
    return 1;
  }
  return 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void visit(const struct node *expr, const char *path, long depth) {
  struct stat st;
  if (lstat(path, &st) < 0) {
    fprintf(stderr, "find: '%s': %s\n", path, strerror(errno));
    status = 1;
    return;
  }
  int act = depth >= mindepth;
  pruned = 0;
  if (act && !post_order) eval(expr, path, &st);
  if (S_ISDIR(st.st_mode) && !pruned && (maxdepth < 0 || depth < maxdepth)) {
    DIR *d = opendir(path);
    if (!d) {
      fprintf(stderr, "find: '%s': %s\n", path, strerror(errno));
      status = 1;
    } else {
      char **names = NULL;
      size_t n = 0, cap = 0;
      struct dirent *e;
      while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (n == cap) {
          cap = cap ? cap * 2 : 16;
          names = realloc(names, cap * sizeof *names);
          if (!names) fail("%s", "out of memory");
        }
        names[n] = strdup(e->d_name);
        if (!names[n++]) fail("%s", "out of memory");
      }
      closedir(d);
      qsort(names, n, sizeof *names, by_name);
      size_t len = strlen(path);
      int slash = len > 0 && path[len - 1] == '/';
      for (size_t i = 0; i < n; i++) {
        char *child = malloc(len + strlen(names[i]) + 2);
        if (!child) fail("%s", "out of memory");
        sprintf(child, slash ? "%s%s" : "%s/%s", path, names[i]);
        visit(expr, child, depth + 1);
        free(child);
        free(names[i]);
      }
      free(names);
    }
  }
  if (act && post_order) eval(expr, path, &st);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_FIRST_ONLY, usage_text);
  int first = 1;
  while (first < argc && argv[first][0] != '-' && strcmp(argv[first], "(") &&
         strcmp(argv[first], "!"))
    first++;
  args = argv + first;
  nargs = argc - first;
  struct node *expr = new_node(TRUE, NULL, NULL);
  if (nargs > 0) {
    expr = parse_or();
    if (pos < nargs) fail("%s", !strcmp(args[pos], ")") ? "you have too many ')'" : "invalid expression");
  }
  if (!has_action) expr = new_node(AND, expr, new_node(PRINT, NULL, NULL));
  if (first == 1) {
    visit(expr, ".", 0);
  } else {
    for (int i = 1; i < first; i++) visit(expr, argv[i], 0);
  }
  return status;
}
