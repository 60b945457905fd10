/* Strata sh: the test / [ builtin (POSIX test, with ! -a -o and parentheses). */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

struct tparse {
  char **av;
  int n, pos;
  int error;
};

static const char *next_arg(struct tparse *t) { return t->pos < t->n ? t->av[t->pos] : NULL; }

/* Integer operand; sets error on anything but an optionally signed decimal. */
static long to_int(struct tparse *t, const char *s) {
  int neg = *s == '-';
  long v = parse_uint(s + (neg || *s == '+'));
  if (v < 0) {
    sh_error("test", arena_concat3(s, ": ", "integer expression expected"));
    t->error = 1;
    return 0;
  }
  return neg ? -v : v;
}

static int unary(const char *op, const char *arg) {
  struct stat st;
  switch (op[1]) {
  case 'n': return *arg != 0;
  case 'z': return *arg == 0;
  case 'e': return stat(arg, &st) == 0;
  case 'f': return stat(arg, &st) == 0 && S_ISREG(st.st_mode);
  case 'd': return stat(arg, &st) == 0 && S_ISDIR(st.st_mode);
  case 'c': return stat(arg, &st) == 0 && S_ISCHR(st.st_mode);
  case 'b': return stat(arg, &st) == 0 && S_ISBLK(st.st_mode);
  case 'p': return stat(arg, &st) == 0 && S_ISFIFO(st.st_mode);
  case 'h':
  case 'L': return lstat(arg, &st) == 0 && S_ISLNK(st.st_mode);
  case 's': return stat(arg, &st) == 0 && st.st_size > 0;
  case 'r': return access(arg, R_OK) == 0;
  case 'w': return access(arg, W_OK) == 0;
  case 'x': return access(arg, X_OK) == 0;
  case 't': {
    long fd = parse_uint(arg);
    return fd >= 0 && isatty((int)fd);
  }
  }
  return 0;
}

static int is_unary_op(const char *s) {
  return s && s[0] == '-' && s[1] && !s[2] && strchr("nzefdcbphLsrwxt", s[1]);
}

static int binary_op(const char *s) {
  static const char *const ops[] = {"=", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "=="};
  for (int i = 0; s && i < (int)(sizeof(ops) / sizeof(ops[0])); i++)
    if (strcmp(s, ops[i]) == 0) return i + 1;
  return 0;
}

static int expr_or(struct tparse *t);

static int primary(struct tparse *t) {
  const char *a = next_arg(t);
  if (!a) {
    sh_error("test", "argument expected");
    t->error = 1;
    return 0;
  }
  /* A binary operator after this word wins over reading it as an operator. */
  int op = binary_op(t->pos + 1 < t->n ? t->av[t->pos + 1] : NULL);
  if (op && t->pos + 2 < t->n) {
    const char *b = t->av[t->pos + 2];
    t->pos += 3;
    switch (op) {
    case 1:
    case 9: return strcmp(a, b) == 0;
    case 2: return strcmp(a, b) != 0;
    default: {
      long x = to_int(t, a), y = to_int(t, b);
      switch (op) {
      case 3: return x == y;
      case 4: return x != y;
      case 5: return x < y;
      case 6: return x <= y;
      case 7: return x > y;
      default: return x >= y;
      }
    }
    }
  }
  if (strcmp(a, "(") == 0 && t->pos + 1 < t->n) {
    t->pos++;
    int v = expr_or(t);
    if (!next_arg(t) || strcmp(next_arg(t), ")") != 0) {
      sh_error("test", "missing )");
      t->error = 1;
      return 0;
    }
    t->pos++;
    return v;
  }
  if (is_unary_op(a) && t->pos + 1 < t->n) {
    t->pos += 2;
    return unary(a, t->av[t->pos - 1]);
  }
  t->pos++;
  return *a != 0; /* a lone word: true if non-empty */
}

static int expr_not(struct tparse *t) {
  const char *a = next_arg(t);
  if (a && strcmp(a, "!") == 0 && t->pos + 1 < t->n) {
    t->pos++;
    return !expr_not(t);
  }
  return primary(t);
}

static int expr_and(struct tparse *t) {
  int v = expr_not(t);
  while (next_arg(t) && strcmp(next_arg(t), "-a") == 0) {
    t->pos++;
    int w = expr_not(t);
    v = v && w;
  }
  return v;
}

static int expr_or(struct tparse *t) {
  int v = expr_and(t);
  while (next_arg(t) && strcmp(next_arg(t), "-o") == 0) {
    t->pos++;
    int w = expr_and(t);
    v = v || w;
  }
  return v;
}

int builtin_test(int argc, char **argv) {
  int n = argc - 1;
  if (strcmp(argv[0], "[") == 0) {
    if (n == 0 || strcmp(argv[n], "]") != 0) {
      sh_error("[", "missing ]");
      return 2;
    }
    n--;
  }
  if (n == 0) return 1;
  struct tparse t = {argv + 1, n, 0, 0};
  int v = expr_or(&t);
  if (!t.error && t.pos < t.n) {
    sh_error("test", arena_concat3(t.av[t.pos], ": ", "unexpected operator"));
    t.error = 1;
  }
  return t.error ? 2 : !v;
}
