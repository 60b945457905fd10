/* awk parser (included once by awk.c): recursive descent over the tokens
 * from lex(), building a tree of nodes.
 *
 *   parse_program()  BEGIN/END/pattern-action items and function definitions
 *   parse_stmt()     statements (if, loops, print/printf, delete, ...)
 *   parse_expr()     assignment > ?: > || > && > in > ~ > relational >
 *                    concatenation > + - > * / % > unary > ^ > ++ -- > $ > primary
 * `print a > b` redirects: while parsing print's arguments a `>` outside
 * parentheses is not a comparison (no_gt). */
#ifndef STRATA_AWK_PARSE_H
#define STRATA_AWK_PARSE_H

#include "awk_lex.h"
#include "re.h"

enum {
  N_NUM, N_STR, N_REGEX, N_VAR, N_LOCAL, N_INDEX, N_FIELD, N_ASSIGN, N_COND, N_AND, N_OR,
  N_NOT, N_NEG, N_UPLUS, N_BINOP, N_CONCAT, N_CMP, N_MATCH, N_IN, N_PREINC, N_PREDEC,
  N_POSTINC, N_POSTDEC, N_CALL, N_BUILTIN, N_GETLINE, N_GROUP,
  S_BLOCK, S_EXPR, S_PRINT, S_PRINTF, S_IF, S_WHILE, S_DO, S_FOR, S_FORIN, S_BREAK,
  S_CONTINUE, S_NEXT, S_NEXTFILE, S_EXIT, S_RETURN, S_DELETE,
};

/* getline sources */
enum { GL_MAIN, GL_FILE, GL_CMD };

struct node {
  int op, line;
  int sub;              /* operator token, builtin index, local index, redirection, ... */
  struct node *a[4];
  struct node **list;   /* arguments, subscripts, statements */
  int nlist;
  double num;
  char *str;
  struct re *re;        /* N_REGEX */
  struct var *var;      /* N_VAR */
  struct func *fn;      /* N_CALL */
};

struct func {
  char *name;
  int nparams, defined;
  char **params;
  struct node *body;
  struct func *next;
};

struct global {
  char *name;
  struct var v;
  struct global *next;
};

struct item {
  struct node *pat, *pat2, *action; /* action NULL: print $0 */
  int in_range;
  struct item *next;
};

static struct global *globals;
static struct func *funcs;
static struct item *begin_items, *end_items, *main_items;

static struct var *global_var(const char *name) {
  for (struct global *g = globals; g; g = g->next)
    if (strcmp(g->name, name) == 0) return &g->v;
  struct global *g = xmalloc(sizeof *g);
  memset(g, 0, sizeof *g);
  g->name = xstrdup(name);
  g->v.v = uninit_val();
  g->next = globals;
  globals = g;
  return &g->v;
}

static struct func *find_func(const char *name) {
  for (struct func *f = funcs; f; f = f->next)
    if (strcmp(f->name, name) == 0) return f;
  struct func *f = xmalloc(sizeof *f);
  memset(f, 0, sizeof *f);
  f->name = xstrdup(name);
  f->next = funcs;
  funcs = f;
  return f;
}

struct parser {
  struct token *t;
  size_t pos;
  int no_gt;
  struct func *cur; /* function being parsed */
};

static struct parser P;

static struct token *tok(void) { return &P.t[P.pos]; }
static int peek(void) { return P.t[P.pos].t; }
static int peek_at(size_t k) { return P.t[P.pos + k].t; }
static void advance(void) {
  if (peek() != TK_EOF) P.pos++;
}
static void expect(int t) {
  if (peek() != t) syntax_error(tok()->line);
  advance();
}
static int accept(int t) {
  if (peek() != t) return 0;
  advance();
  return 1;
}
static void opt_nl(void) {
  while (peek() == TK_NL) advance();
}

static struct node *mk(int op, struct node *a0, struct node *a1) {
  struct node *n = xmalloc(sizeof *n);
  memset(n, 0, sizeof *n);
  n->op = op;
  n->line = tok()->line;
  n->a[0] = a0;
  n->a[1] = a1;
  return n;
}

static void list_add(struct node *n, struct node *item) {
  struct node **l = xmalloc((size_t)(n->nlist + 1) * sizeof *l);
  if (n->nlist) memcpy(l, n->list, (size_t)n->nlist * sizeof *l);
  free(n->list);
  n->list = l;
  n->list[n->nlist++] = item;
}

static struct re *compile_re(const char *pat, int line);

static struct node *parse_expr(void);
static struct node *parse_ternary(void);
static struct node *parse_concat(void);
static struct node *parse_unary(void);
static struct node *parse_stmt(void);

/* A variable reference: a local (function parameter) or a global. */
static struct node *name_node(const char *name) {
  if (P.cur)
    for (int i = 0; i < P.cur->nparams; i++)
      if (strcmp(P.cur->params[i], name) == 0) {
        struct node *n = mk(N_LOCAL, NULL, NULL);
        n->sub = i;
        return n;
      }
  struct node *n = mk(N_VAR, NULL, NULL);
  n->var = global_var(name);
  n->str = xstrdup(name);
  return n;
}

static int is_lvalue(const struct node *n) {
  return n->op == N_VAR || n->op == N_LOCAL || n->op == N_INDEX || n->op == N_FIELD;
}

/* Parses expressions separated by commas into n->list (newlines allowed after commas). */
static void parse_expr_list(struct node *n) {
  list_add(n, parse_expr());
  while (accept(',')) {
    opt_nl();
    list_add(n, parse_expr());
  }
}

static struct node *parse_subscripts(struct node *arr) {
  struct node *n = mk(N_INDEX, arr, NULL);
  int gt = P.no_gt;
  P.no_gt = 0;
  expect('[');
  parse_expr_list(n);
  expect(']');
  P.no_gt = gt;
  return n;
}

static struct node *parse_call_args(struct node *n) {
  int gt = P.no_gt;
  P.no_gt = 0;
  expect('(');
  opt_nl();
  if (peek() != ')') parse_expr_list(n);
  opt_nl();
  expect(')');
  P.no_gt = gt;
  return n;
}

static struct node *parse_builtin(void) {
  struct node *n = mk(N_BUILTIN, NULL, NULL);
  n->sub = (int)tok()->num;
  advance();
  if (peek() == '(') parse_call_args(n);
  else if (strcmp(builtin_names[n->sub], "length") != 0) syntax_error(n->line);
  return n;
}

/* `getline [var] [< file]` (the `cmd | getline` form is in parse_pipe_getline). */
static struct node *parse_simple_getline(void) {
  struct node *n = mk(N_GETLINE, NULL, NULL);
  advance();
  n->sub = GL_MAIN;
  if (peek() == '$' || peek() == TK_NAME) {
    struct node *lv = parse_unary();
    if (!is_lvalue(lv)) syntax_error(n->line);
    n->a[0] = lv;
  }
  if (peek() == '<') {
    advance();
    n->sub = GL_FILE;
    n->a[1] = parse_unary();
  }
  return n;
}

static struct node *parse_group(void) {
  int gt = P.no_gt;
  P.no_gt = 0;
  advance();
  struct node *g = mk(N_GROUP, NULL, NULL);
  parse_expr_list(g);
  opt_nl();
  expect(')');
  P.no_gt = gt;
  if (g->nlist > 1) {
    if (peek() != TK_IN) return g; /* print (a, b) > f: checked by the caller */
    advance();
    if (peek() != TK_NAME) syntax_error(tok()->line);
    struct node *n = mk(N_IN, name_node(tok()->str), NULL);
    advance();
    n->list = g->list;
    n->nlist = g->nlist;
    return n;
  }
  g->a[0] = g->list[0];
  return g;
}

static struct node *parse_primary(void) {
  struct token *t = tok();
  struct node *n;
  switch (t->t) {
  case TK_NUMBER:
    n = mk(N_NUM, NULL, NULL);
    n->num = t->num;
    advance();
    return n;
  case TK_STRING:
    n = mk(N_STR, NULL, NULL);
    n->str = t->str;
    advance();
    return n;
  case TK_ERE:
    n = mk(N_REGEX, NULL, NULL);
    n->str = t->str;
    n->re = compile_re(t->str, t->line);
    advance();
    return n;
  case '(': return parse_group();
  case TK_BUILTIN: return parse_builtin();
  case TK_GETLINE: return parse_simple_getline();
  case TK_FUNC_NAME:
    n = mk(N_CALL, NULL, NULL);
    n->fn = find_func(t->str);
    advance();
    return parse_call_args(n);
  case TK_NAME:
    n = name_node(t->str);
    advance();
    if (peek() == '[') n = parse_subscripts(n);
    return n;
  case '$': {
    advance();
    struct node *e;
    if (peek() == TK_INCR || peek() == TK_DECR) {
      int op = peek() == TK_INCR ? N_PREINC : N_PREDEC;
      advance();
      e = mk(op, parse_primary(), NULL);
    } else if (peek() == '-' || peek() == '+' || peek() == '!') {
      e = parse_unary();
    } else e = parse_primary();
    return mk(N_FIELD, e, NULL);
  }
  default: syntax_error(t->line); return NULL;
  }
}

static struct node *parse_postfix(void) {
  if (peek() == TK_INCR || peek() == TK_DECR) {
    int op = peek() == TK_INCR ? N_PREINC : N_PREDEC;
    advance();
    struct node *lv = parse_postfix();
    if (!is_lvalue(lv)) syntax_error(lv->line);
    return mk(op, lv, NULL);
  }
  struct node *n = parse_primary();
  if (is_lvalue(n) && (peek() == TK_INCR || peek() == TK_DECR)) {
    n = mk(peek() == TK_INCR ? N_POSTINC : N_POSTDEC, n, NULL);
    advance();
  }
  return n;
}

static struct node *parse_pow(void) {
  struct node *n = parse_postfix();
  if (peek() == '^') {
    advance();
    struct node *r;
    if (peek() == '-' || peek() == '+' || peek() == '!') r = parse_unary();
    else r = parse_pow();
    n = mk(N_BINOP, n, r);
    n->sub = '^';
  }
  return n;
}

static struct node *parse_unary(void) {
  int t = peek();
  if (t == '!' || t == '-' || t == '+') {
    advance();
    return mk(t == '!' ? N_NOT : t == '-' ? N_NEG : N_UPLUS, parse_unary(), NULL);
  }
  return parse_pow();
}

static struct node *parse_mul(void) {
  struct node *n = parse_unary();
  while (peek() == '*' || peek() == '/' || peek() == '%') {
    int op = peek();
    advance();
    n = mk(N_BINOP, n, parse_unary());
    n->sub = op;
  }
  return n;
}

static struct node *parse_add(void) {
  struct node *n = parse_mul();
  while (peek() == '+' || peek() == '-') {
    int op = peek();
    advance();
    n = mk(N_BINOP, n, parse_mul());
    n->sub = op;
  }
  return n;
}

/* Can t start the right operand of a concatenation? Not `-`, `+` or `!`:
 * `a -1` subtracts (as in other awks). */
static int starts_concat_operand(int t) {
  return t == TK_NUMBER || t == TK_STRING || t == TK_ERE || t == TK_NAME || t == TK_FUNC_NAME ||
         t == TK_BUILTIN || t == '$' || t == '(' || t == TK_INCR || t == TK_DECR;
}

static struct node *parse_concat(void) {
  struct node *n = parse_add();
  while (starts_concat_operand(peek())) n = mk(N_CONCAT, n, parse_add());
  /* `cmd | getline [var]` */
  while (peek() == '|' && peek_at(1) == TK_GETLINE) {
    advance();
    struct node *g = mk(N_GETLINE, NULL, n);
    advance();
    g->sub = GL_CMD;
    if (peek() == '$' || peek() == TK_NAME) {
      struct node *lv = parse_postfix();
      if (!is_lvalue(lv)) syntax_error(g->line);
      g->a[0] = lv;
    }
    n = g;
  }
  return n;
}

static struct node *parse_compare(void) {
  struct node *n = parse_concat();
  for (;;) {
    int t = peek();
    if (t == '>' && P.no_gt) return n;
    if (t != '<' && t != '>' && t != TK_LE && t != TK_GE && t != TK_EQ && t != TK_NE) return n;
    advance();
    n = mk(N_CMP, n, parse_concat());
    n->sub = t;
  }
}

static struct node *parse_match(void) {
  struct node *n = parse_compare();
  while (peek() == '~' || peek() == TK_NOMATCH) {
    int neg = peek() == TK_NOMATCH;
    advance();
    n = mk(N_MATCH, n, parse_compare());
    n->sub = neg;
  }
  return n;
}

static struct node *parse_in(void) {
  struct node *n = parse_match();
  while (peek() == TK_IN) {
    advance();
    if (peek() != TK_NAME) syntax_error(tok()->line);
    struct node *in = mk(N_IN, name_node(tok()->str), NULL);
    advance();
    list_add(in, n);
    n = in;
  }
  return n;
}

static struct node *parse_and(void) {
  struct node *n = parse_in();
  while (peek() == TK_AND) {
    advance();
    opt_nl();
    n = mk(N_AND, n, parse_in());
  }
  return n;
}

static struct node *parse_or(void) {
  struct node *n = parse_and();
  while (peek() == TK_OR) {
    advance();
    opt_nl();
    n = mk(N_OR, n, parse_and());
  }
  return n;
}

static struct node *parse_ternary(void) {
  struct node *n = parse_or();
  if (peek() != '?') return n;
  advance();
  opt_nl();
  struct node *c = mk(N_COND, n, parse_ternary());
  opt_nl();
  expect(':');
  opt_nl();
  c->a[2] = parse_ternary();
  return c;
}

static int assign_op(int t) {
  switch (t) {
  case '=': return '=';
  case TK_ADD_ASSIGN: return '+';
  case TK_SUB_ASSIGN: return '-';
  case TK_MUL_ASSIGN: return '*';
  case TK_DIV_ASSIGN: return '/';
  case TK_MOD_ASSIGN: return '%';
  case TK_POW_ASSIGN: return '^';
  default: return 0;
  }
}

static struct node *parse_expr(void) {
  struct node *n = parse_ternary();
  int op = assign_op(peek());
  if (!op || !is_lvalue(n)) return n;
  advance();
  opt_nl();
  struct node *a = mk(N_ASSIGN, n, parse_expr());
  a->sub = op;
  return a;
}

#include "awk_parse_stmt.h"

#endif
