/* Strata sh: arithmetic expansion $((...)) over long integers: + - * / %,
 * comparisons, ! ~ && || & | ^ << >>, unary minus, parentheses, ?:, the
 * assignments = += -= *= /= %= <<= >>= &= ^= |=, ++ and -- before or after
 * a name, decimal, octal (0N) and hex (0xN) constants, and variables by name
 * (unset or empty is 0). The side not taken by && || ?: is parsed but has no
 * effect, as in C. */
#include <string.h>

#include "sh.h"

struct arith {
  const char *s;
  int error;
  int skip; /* > 0 inside an operand that is not evaluated (&& || ?:) */
};

static void skip_blanks(struct arith *a) {
  while (*a->s == ' ' || *a->s == '\t' || *a->s == '\n') a->s++;
}

static void arith_fail(struct arith *a, const char *msg) {
  if (!a->error) sh_error("arithmetic", msg);
  a->error = 1;
}

/* Value of a variable used by name; must hold a decimal number. */
static long var_value(struct arith *a, const char *name) {
  const char *v = var_get(name);
  if (!v || !*v) return 0;
  int neg = *v == '-';
  long n = parse_uint(v + neg);
  if (n < 0) {
    arith_fail(a, arena_concat3(name, ": ", "not a number"));
    return 0;
  }
  return neg ? -n : n;
}

static long parse_assign(struct arith *a);

static int is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

/* Reads a name at the cursor (in the arena); NULL if none. */
static char *take_name(struct arith *a) {
  if (!is_name_start(*a->s)) return NULL;
  const char *start = a->s;
  while (is_name_char(*a->s)) a->s++;
  return arena_strndup(start, (size_t)(a->s - start));
}

/* Stores v in the variable (unless in an operand that is skipped). */
static long store(struct arith *a, const char *name, long v) {
  if (a->skip || a->error) return v;
  char buf[24];
  num_to_str(v, buf);
  var_set(name, buf, 0);
  return v;
}

/* A constant: decimal, octal with a leading 0, or hex with 0x. */
static long parse_constant(struct arith *a) {
  unsigned long v = 0;
  if (a->s[0] == '0' && (a->s[1] == 'x' || a->s[1] == 'X')) {
    a->s += 2;
    int digits = 0;
    for (;; a->s++, digits++) {
      char c = *a->s;
      int d = c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
      if (d < 0) break;
      v = v * 16 + (unsigned long)d;
    }
    if (!digits) arith_fail(a, "bad hexadecimal constant");
  } else if (a->s[0] == '0') {
    for (a->s++; *a->s >= '0' && *a->s <= '7'; a->s++) v = v * 8 + (unsigned long)(*a->s - '0');
    if (*a->s == '8' || *a->s == '9') arith_fail(a, "bad octal constant");
  } else {
    while (*a->s >= '0' && *a->s <= '9') v = v * 10 + (unsigned long)(*a->s++ - '0');
  }
  if (is_name_char(*a->s)) arith_fail(a, "bad constant");
  return (long)v;
}

static long parse_primary(struct arith *a) {
  skip_blanks(a);
  char c = *a->s;
  if (c == '(') {
    a->s++;
    long v = parse_assign(a);
    skip_blanks(a);
    if (*a->s != ')') arith_fail(a, "missing )");
    else a->s++;
    return v;
  }
  if ((c == '+' || c == '-') && a->s[1] == c) {
    /* ++name / --name; otherwise two signs (--5 is 5). */
    const char *save = a->s;
    a->s += 2;
    skip_blanks(a);
    char *name = take_name(a);
    if (name) return store(a, name, var_value(a, name) + (c == '+' ? 1 : -1));
    a->s = save;
  }
  if (c == '-' || c == '+' || c == '!' || c == '~') {
    a->s++;
    long v = parse_primary(a);
    return c == '-' ? (long)(0UL - (unsigned long)v) : c == '+' ? v : c == '!' ? !v : ~v;
  }
  if (c >= '0' && c <= '9') return parse_constant(a);
  char *name = take_name(a);
  if (name) {
    long v = var_value(a, name);
    skip_blanks(a);
    if ((a->s[0] == '+' || a->s[0] == '-') && a->s[1] == a->s[0]) {
      /* name++ / name--: the old value. */
      store(a, name, v + (a->s[0] == '+' ? 1 : -1));
      a->s += 2;
    }
    return v;
  }
  arith_fail(a, c ? "syntax error in expression" : "missing operand");
  return 0;
}

/* Binary operators by precedence level, lowest first (after || and &&). */
static const char *const levels[][6] = {
    {"|", NULL},
    {"^", NULL},
    {"&", NULL},
    {"==", "!=", NULL},
    {"<=", ">=", "<", ">", NULL},
    {"<<", ">>", NULL},
    {"+", "-", NULL},
    {"*", "/", "%", NULL},
};
#define NLEVELS ((int)(sizeof(levels) / sizeof(levels[0])))

static const char *match_op(struct arith *a, int level) {
  skip_blanks(a);
  for (int i = 0; levels[level][i]; i++) {
    const char *op = levels[level][i];
    size_t n = strlen(op);
    if (strncmp(a->s, op, n) != 0) continue;
    /* Do not take | of ||, & of &&, < of <<. */
    if (n == 1 && (op[0] == '|' || op[0] == '&' || op[0] == '<' || op[0] == '>') &&
        a->s[1] == op[0])
      continue;
    return op;
  }
  return NULL;
}

static long parse_level(struct arith *a, int level) {
  if (level == NLEVELS) return parse_primary(a);
  long v = parse_level(a, level + 1);
  const char *op;
  while (!a->error && (op = match_op(a, level)) != NULL) {
    a->s += strlen(op);
    long w = parse_level(a, level + 1);
    if ((op[0] == '/' || op[0] == '%') && w == 0) {
      if (a->skip) continue; /* not evaluated: no error */
      arith_fail(a, "division by zero");
      return 0;
    }
    if (!strcmp(op, "|")) v |= w;
    else if (!strcmp(op, "^")) v ^= w;
    else if (!strcmp(op, "&")) v &= w;
    else if (!strcmp(op, "==")) v = v == w;
    else if (!strcmp(op, "!=")) v = v != w;
    else if (!strcmp(op, "<=")) v = v <= w;
    else if (!strcmp(op, ">=")) v = v >= w;
    else if (!strcmp(op, "<")) v = v < w;
    else if (!strcmp(op, ">")) v = v > w;
    else if (!strcmp(op, "<<")) v = (long)((unsigned long)v << (w & 31));
    else if (!strcmp(op, ">>")) v >>= (w & 31);
    else if (!strcmp(op, "+")) v = (long)((unsigned long)v + (unsigned long)w);
    else if (!strcmp(op, "-")) v = (long)((unsigned long)v - (unsigned long)w);
    else if (!strcmp(op, "*")) v = (long)((unsigned long)v * (unsigned long)w);
    else if (!strcmp(op, "/")) v = (v == (long)(~0UL >> 1) * -1 - 1 && w == -1) ? v : v / w;
    else v = (w == -1) ? 0 : v % w;
  }
  return v;
}

static long parse_and(struct arith *a) {
  long v = parse_level(a, 0);
  for (;;) {
    skip_blanks(a);
    if (a->error || strncmp(a->s, "&&", 2) != 0) return v;
    a->s += 2;
    int skip = !v;
    a->skip += skip;
    long w = parse_level(a, 0);
    a->skip -= skip;
    v = v && w;
  }
}

static long parse_or(struct arith *a) {
  long v = parse_and(a);
  for (;;) {
    skip_blanks(a);
    if (a->error || strncmp(a->s, "||", 2) != 0) return v;
    a->s += 2;
    int skip = v != 0;
    a->skip += skip;
    long w = parse_and(a);
    a->skip -= skip;
    v = v || w;
  }
}

/* cond ? a : b (right-associative); only the chosen side takes effect. */
static long parse_ternary(struct arith *a) {
  long c = parse_or(a);
  skip_blanks(a);
  if (a->error || *a->s != '?') return c;
  a->s++;
  a->skip += !c;
  long x = parse_assign(a);
  a->skip -= !c;
  skip_blanks(a);
  if (*a->s != ':') {
    arith_fail(a, "missing : in ?:");
    return 0;
  }
  a->s++;
  a->skip += c != 0;
  long y = parse_ternary(a);
  a->skip -= c != 0;
  return c ? x : y;
}

/* Assignment operators, longest first. */
static const char *const assign_ops[] = {"<<=", ">>=", "+=", "-=", "*=", "/=", "%=",
                                         "&=",  "^=",  "|=", "=",  NULL};

/* name OP= expr (right-associative), else a ?: expression. */
static long parse_assign(struct arith *a) {
  skip_blanks(a);
  const char *save = a->s;
  char *name = take_name(a);
  if (name) {
    skip_blanks(a);
    for (int i = 0; assign_ops[i]; i++) {
      size_t n = strlen(assign_ops[i]);
      if (strncmp(a->s, assign_ops[i], n) != 0) continue;
      if (n == 1 && a->s[1] == '=') break; /* == is a comparison */
      a->s += n;
      long w = parse_assign(a);
      if (a->error) return 0;
      long v = n == 1 ? w : var_value(a, name);
      switch (assign_ops[i][0]) {
        case '+': v = (long)((unsigned long)v + (unsigned long)w); break;
        case '-': v = (long)((unsigned long)v - (unsigned long)w); break;
        case '*': v = (long)((unsigned long)v * (unsigned long)w); break;
        case '/':
        case '%':
          if (w == 0) {
            if (a->skip) return 0;
            arith_fail(a, "division by zero");
            return 0;
          }
          if (w == -1) v = assign_ops[i][0] == '/' ? (long)(0UL - (unsigned long)v) : 0;
          else v = assign_ops[i][0] == '/' ? v / w : v % w;
          break;
        case '<': v = (long)((unsigned long)v << (w & 31)); break;
        case '>': v >>= (w & 31); break;
        case '&': v &= w; break;
        case '^': v ^= w; break;
        case '|': v |= w; break;
        default: break; /* plain = */
      }
      return store(a, name, v);
    }
  }
  a->s = save;
  return parse_ternary(a);
}

int arith_eval(const char *expr, long *out) {
  struct arith a = {expr, 0, 0};
  long v = parse_assign(&a);
  skip_blanks(&a);
  if (!a.error && *a.s) arith_fail(&a, "syntax error in expression");
  if (a.error) return -1;
  *out = v;
  return 0;
}
