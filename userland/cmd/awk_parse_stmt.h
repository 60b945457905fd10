/* awk parser, statements and program items (included by awk_parse.h).
 *
 *   parse_stmt()     one statement; simple ones end at `;`, a newline or `}`
 *   parse_program()  BEGIN, END, pattern[, pattern] [{action}], functions */
#ifndef STRATA_AWK_PARSE_STMT_H
#define STRATA_AWK_PARSE_STMT_H

static void end_simple(void) {
  if (peek() == ';' || peek() == TK_NL) {
    advance();
    return;
  }
  if (peek() != '}' && peek() != TK_EOF) syntax_error(tok()->line);
}

static struct node *parse_block(void) {
  struct node *b = mk(S_BLOCK, NULL, NULL);
  expect('{');
  for (;;) {
    while (peek() == TK_NL || peek() == ';') advance();
    if (peek() == '}') break;
    list_add(b, parse_stmt());
  }
  expect('}');
  return b;
}

/* print/printf arguments and an optional redirection. */
static struct node *parse_print(int op) {
  struct node *n = mk(op, NULL, NULL);
  advance();
  int t = peek();
  if (t != ';' && t != TK_NL && t != '}' && t != '>' && t != TK_APPEND && t != '|') {
    P.no_gt = 1;
    size_t save = P.pos;
    int done = 0;
    if (t == '(') {
      struct node *g = parse_group();
      int nt = peek();
      if (g->op == N_GROUP &&
          (nt == ';' || nt == TK_NL || nt == '}' || nt == '>' || nt == TK_APPEND || nt == '|')) {
        n->list = g->list;
        n->nlist = g->nlist;
        done = 1;
      } else P.pos = save;
    }
    if (!done) parse_expr_list(n);
    P.no_gt = 0;
  }
  t = peek();
  if (t == '>' || t == TK_APPEND || t == '|') {
    advance();
    n->sub = t;
    n->a[0] = parse_concat();
  }
  if (op == S_PRINTF && !n->nlist) syntax_error(n->line);
  end_simple();
  return n;
}

static struct node *parse_simple_stmt(void) {
  struct node *n;
  switch (peek()) {
  case TK_PRINT: return parse_print(S_PRINT);
  case TK_PRINTF: return parse_print(S_PRINTF);
  case TK_BREAK: n = mk(S_BREAK, NULL, NULL); advance(); break;
  case TK_CONTINUE: n = mk(S_CONTINUE, NULL, NULL); advance(); break;
  case TK_NEXT: n = mk(S_NEXT, NULL, NULL); advance(); break;
  case TK_NEXTFILE: n = mk(S_NEXTFILE, NULL, NULL); advance(); break;
  case TK_EXIT:
  case TK_RETURN: {
    int op = peek() == TK_EXIT ? S_EXIT : S_RETURN;
    n = mk(op, NULL, NULL);
    advance();
    if (peek() != ';' && peek() != TK_NL && peek() != '}') n->a[0] = parse_expr();
    break;
  }
  case TK_DELETE:
    n = mk(S_DELETE, NULL, NULL);
    advance();
    if (peek() != TK_NAME) syntax_error(tok()->line);
    n->a[0] = name_node(tok()->str);
    advance();
    if (peek() == '[') {
      struct node *ix = parse_subscripts(n->a[0]);
      n->list = ix->list;
      n->nlist = ix->nlist;
    }
    break;
  default: n = mk(S_EXPR, parse_expr(), NULL);
  }
  end_simple();
  return n;
}

/* The statement after `if (...)`, `while (...)`, `else`, ...: `;` alone is empty. */
static struct node *parse_body(void) {
  opt_nl();
  if (accept(';')) return mk(S_BLOCK, NULL, NULL);
  return parse_stmt();
}

static struct node *parse_paren_expr(void) {
  expect('(');
  struct node *e = parse_expr();
  opt_nl();
  expect(')');
  return e;
}

static struct node *parse_for(void) {
  advance();
  if (peek() == '(' && peek_at(1) == TK_NAME && peek_at(2) == TK_IN && peek_at(3) == TK_NAME &&
      peek_at(4) == ')') {
    advance();
    struct node *n = mk(S_FORIN, name_node(tok()->str), NULL);
    advance();
    advance();
    n->a[1] = name_node(tok()->str);
    advance();
    advance();
    n->a[2] = parse_body();
    return n;
  }
  struct node *n = mk(S_FOR, NULL, NULL);
  expect('(');
  if (peek() != ';') n->a[0] = mk(S_EXPR, parse_expr(), NULL);
  expect(';');
  opt_nl();
  if (peek() != ';') n->a[1] = parse_expr();
  expect(';');
  opt_nl();
  if (peek() != ')') n->a[2] = mk(S_EXPR, parse_expr(), NULL);
  expect(')');
  n->a[3] = parse_body();
  return n;
}

static struct node *parse_stmt(void) {
  struct node *n;
  switch (peek()) {
  case '{': n = parse_block(); return n;
  case TK_IF: {
    advance();
    n = mk(S_IF, parse_paren_expr(), NULL);
    n->a[1] = parse_body();
    size_t save = P.pos;
    while (peek() == TK_NL || peek() == ';') advance();
    if (accept(TK_ELSE)) n->a[2] = parse_body();
    else P.pos = save;
    return n;
  }
  case TK_WHILE:
    advance();
    n = mk(S_WHILE, parse_paren_expr(), NULL);
    if (peek() == ';') {
      advance();
      n->a[1] = mk(S_BLOCK, NULL, NULL);
    } else n->a[1] = parse_body();
    return n;
  case TK_DO:
    advance();
    n = mk(S_DO, NULL, parse_body());
    while (peek() == TK_NL || peek() == ';') advance();
    expect(TK_WHILE);
    n->a[0] = parse_paren_expr();
    end_simple();
    return n;
  case TK_FOR: return parse_for();
  case ';': advance(); return mk(S_BLOCK, NULL, NULL);
  default: return parse_simple_stmt();
  }
}

static void parse_function(void) {
  advance();
  if (peek() != TK_NAME && peek() != TK_FUNC_NAME) syntax_error(tok()->line);
  struct func *f = find_func(tok()->str);
  if (f->defined) syntax_error(tok()->line);
  f->defined = 1;
  advance();
  expect('(');
  while (peek() == TK_NAME) {
    char **p = xmalloc((size_t)(f->nparams + 1) * sizeof *p);
    if (f->nparams) memcpy(p, f->params, (size_t)f->nparams * sizeof *p);
    p[f->nparams++] = tok()->str;
    f->params = p;
    advance();
    if (!accept(',')) break;
    opt_nl();
  }
  expect(')');
  opt_nl();
  P.cur = f;
  f->body = parse_block();
  P.cur = NULL;
}

static void add_item(struct item **list, struct item *it) {
  while (*list) list = &(*list)->next;
  *list = it;
}

static void parse_item(void) {
  struct item *it = xmalloc(sizeof *it);
  memset(it, 0, sizeof *it);
  if (accept(TK_BEGIN) || (peek() == TK_END && (advance(), 1))) {
    int begin = P.t[P.pos - 1].t == TK_BEGIN;
    opt_nl();
    it->action = parse_block();
    add_item(begin ? &begin_items : &end_items, it);
    return;
  }
  if (peek() != '{') {
    it->pat = parse_expr();
    if (accept(',')) {
      opt_nl();
      it->pat2 = parse_expr();
    }
  }
  if (peek() == '{') it->action = parse_block();
  add_item(&main_items, it);
}

static void parse_program(struct token *toks) {
  P.t = toks;
  P.pos = 0;
  for (;;) {
    while (peek() == TK_NL || peek() == ';') advance();
    if (peek() == TK_EOF) break;
    if (peek() == TK_FUNCTION) parse_function();
    else parse_item();
    if (P.t[P.pos - 1].t != '}' && peek() != TK_NL && peek() != ';' && peek() != TK_EOF)
      syntax_error(tok()->line);
  }
  for (struct func *f = funcs; f; f = f->next)
    if (!f->defined) {
      fprintf(stderr, "awk: calling undefined function %s\n", f->name);
      exit(2);
    }
}

#endif
