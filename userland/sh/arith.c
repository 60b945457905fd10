/* Strata sh: arithmetic expansion $((...)) over long integers: + - * / %,
 * comparisons, ! ~ && || & | ^ << >>, unary minus, parentheses, variables
 * by name (unset or empty is 0). */
#include <string.h>

#include "sh.h"

struct arith {
  const char *s;
  int error;
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

static long parse_or(struct arith *a);

static long parse_primary(struct arith *a) {
  skip_blanks(a);
  char c = *a->s;
  if (c == '(') {
    a->s++;
    long v = parse_or(a);
    skip_blanks(a);
    if (*a->s != ')') arith_fail(a, "missing )");
    else a->s++;
    return v;
  }
  if (c == '-' || c == '+' || c == '!' || c == '~') {
    a->s++;
    long v = parse_primary(a);
    return c == '-' ? -v : c == '+' ? v : c == '!' ? !v : ~v;
  }
  if (c >= '0' && c <= '9') {
    long v = 0;
    while (*a->s >= '0' && *a->s <= '9') v = v * 10 + (*a->s++ - '0');
    return v;
  }
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
    const char *start = a->s;
    while ((*a->s >= 'a' && *a->s <= 'z') || (*a->s >= 'A' && *a->s <= 'Z') ||
           (*a->s >= '0' && *a->s <= '9') || *a->s == '_')
      a->s++;
    return var_value(a, arena_strndup(start, (size_t)(a->s - start)));
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
    long w = parse_level(a, 0);
    v = v && w;
  }
}

static long parse_or(struct arith *a) {
  long v = parse_and(a);
  for (;;) {
    skip_blanks(a);
    if (a->error || strncmp(a->s, "||", 2) != 0) return v;
    a->s += 2;
    long w = parse_and(a);
    v = v || w;
  }
}

int arith_eval(const char *expr, long *out) {
  struct arith a = {expr, 0};
  long v = parse_or(&a);
  skip_blanks(&a);
  if (!a.error && *a.s) arith_fail(&a, "syntax error in expression");
  if (a.error) return -1;
  *out = v;
  return 0;
}
