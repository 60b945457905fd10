/* The command-line grammar, parsed after variable expansion:
 *   seq    := andor { "&" andor }
 *   andor  := pipe { ("&&" | "||") pipe }
 *   pipe   := cmd { "|" cmd }
 *   cmd    := ["@"] ( "(" seq ")" redirs | if | for | simple )
 *   if     := "if" ["/i"] ["not"] cond body ["else" body]
 *   for    := "for" ["/l" | "/d"] "%"X "in" "(" set ")" "do" seq
 * A simple command is its text with the redirections (N>, N>>, <, N>&M)
 * taken out; "..." quotes and ^ escape operator characters. "rem" takes the
 * rest of the line. As in cmd, an "if" or "for" body without parentheses
 * extends to the end of the line (so "if 1==2 echo a & echo b" prints
 * nothing) and "else" follows a parenthesised body. */
#include "cmd.h"

struct parser {
  const char *p;
  int depth;
  const char *err;
};

static struct node *parse_seq(struct parser *ps);
static struct node *parse_cmd(struct parser *ps);

/* cmd's message for an operator where a command should be. */
static const char *unexpected(const char *p) {
  if (p[0] == '&') return p[1] == '&' ? "&& was unexpected at this time." : "& was unexpected at this time.";
  if (p[0] == '|') return p[1] == '|' ? "|| was unexpected at this time." : "| was unexpected at this time.";
  return "The syntax of the command is incorrect.";
}

static struct node *new_node(enum node_kind k) {
  struct node *n = xmalloc(sizeof *n);
  memset(n, 0, sizeof *n);
  n->kind = k;
  return n;
}

static char *dup_range(const char *a, const char *b) {
  char *s = xmalloc((size_t)(b - a) + 1);
  memcpy(s, a, (size_t)(b - a));
  s[b - a] = 0;
  return s;
}

void free_node(struct node *n) {
  if (!n) return;
  free_node(n->left);
  free_node(n->right);
  for (struct redir *r = n->redirs, *nx; r; r = nx) {
    nx = r->next;
    free(r->target);
    free(r);
  }
  free(n->text);
  free(n->src);
  free(n->cond);
  free(n->a);
  free(n->op);
  free(n->b);
  free(n->set);
  free(n);
}

static void ws(struct parser *ps) { ps->p = skip_ws(ps->p); }

/* Skips blanks and the line breaks inside a parenthesised block. */
static void ws_nl(struct parser *ps) {
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r') ps->p++;
}

/* A word: up to whitespace or an operator, quotes grouping (quotes kept). */
static char *word(struct parser *ps) {
  ws(ps);
  const char *a = ps->p;
  int q = 0;
  while (*ps->p && (q || (!is_ws((unsigned char)*ps->p) && !strchr("&|<>()", *ps->p)))) {
    if (*ps->p == '"') q = !q;
    ps->p++;
  }
  return dup_range(a, ps->p);
}

/* Is the text at p the keyword kw followed by a delimiter? */
static int keyword(const char *p, const char *kw) {
  size_t n = strlen(kw);
  return _strnicmp(p, kw, n) == 0 && (!p[n] || is_ws((unsigned char)p[n]) || p[n] == '(');
}

/* Parses a redirection at ps->p (after an optional digit); appends to *list. */
static void parse_redir(struct parser *ps, int fd, struct redir **list) {
  struct redir *r = xmalloc(sizeof *r);
  memset(r, 0, sizeof *r);
  r->dupfd = -1;
  char c = *ps->p++;
  r->fd = fd >= 0 ? fd : (c == '<' ? 0 : 1);
  if (c == '>' && *ps->p == '>') {
    r->append = 1;
    ps->p++;
  }
  if (*ps->p == '&' && ps->p[1] >= '0' && ps->p[1] <= '2') {
    r->dupfd = ps->p[1] - '0';
    ps->p += 2;
  } else {
    r->target = word(ps);
    unquote(r->target);
    if (!*r->target) ps->err = "The syntax of the command is incorrect.";
  }
  struct redir **t = list;
  while (*t) t = &(*t)->next;
  *t = r;
}

static int at_redir(const char *p, const char *start) {
  if (*p == '<' || *p == '>') return 1;
  return (*p >= '0' && *p <= '2') && (p[1] == '>') && (p == start || is_ws((unsigned char)p[-1]));
}

static struct node *parse_simple(struct parser *ps) {
  struct node *n = new_node(N_SIMPLE);
  const char *start = ps->p;
  size_t cap = strlen(ps->p) + 1, o = 0;
  char *text = xmalloc(cap);
  int q = 0;
  while (*ps->p) {
    char c = *ps->p;
    if (c == '"') q = !q;
    if (!q) {
      if (c == '^' && ps->p[1]) {
        text[o++] = ps->p[1];
        ps->p += 2;
        continue;
      }
      if (c == '&' || c == '|' || c == '\n' || (c == ')' && ps->depth > 0)) break;
      if (at_redir(ps->p, start)) {
        int fd = (c >= '0' && c <= '2') ? c - '0' : -1;
        if (fd >= 0) ps->p++;
        parse_redir(ps, fd, &n->redirs);
        continue;
      }
    }
    text[o++] = c;
    ps->p++;
  }
  text[o] = 0;
  n->text = text;
  return n;
}

static void parse_redirs_after(struct parser *ps, struct node *n) {
  for (;;) {
    ws(ps);
    if (!at_redir(ps->p, ps->p)) return;
    int fd = (*ps->p >= '0' && *ps->p <= '2') ? *ps->p++ - '0' : -1;
    parse_redir(ps, fd, &n->redirs);
  }
}

static struct node *parse_block(struct parser *ps) {
  if (ps->depth >= 64) {
    ps->err = "The syntax of the command is incorrect.";
    return new_node(N_BLOCK);
  }
  ps->p++; /* ( */
  ps->depth++;
  struct node *n = new_node(N_BLOCK);
  n->left = parse_seq(ps);
  ps->depth--;
  ws_nl(ps);
  if (*ps->p != ')') {
    if (!ps->err) ps->err = "More?";
    return n;
  }
  ps->p++;
  parse_redirs_after(ps, n);
  return n;
}

/* A body of if/for: a block, or the rest of the line. */
static struct node *parse_body(struct parser *ps) {
  ws(ps);
  if (*ps->p == '(') return parse_block(ps);
  return parse_seq(ps);
}

/* if-operand: up to whitespace or "==", quotes grouping. */
static char *operand(struct parser *ps) {
  ws(ps);
  const char *a = ps->p;
  int q = 0;
  while (*ps->p && (q || (!is_ws((unsigned char)*ps->p) && strncmp(ps->p, "==", 2) != 0))) {
    if (*ps->p == '"') q = !q;
    ps->p++;
  }
  return dup_range(a, ps->p);
}

static struct node *parse_if(struct parser *ps) {
  struct node *n = new_node(N_IF);
  ps->p += 2;
  ws(ps);
  if (keyword(ps->p, "/i")) {
    n->icase = 1;
    ps->p += 2;
    ws(ps);
  }
  if (keyword(ps->p, "not")) {
    n->negate = 1;
    ps->p += 3;
    ws(ps);
  }
  static const char *const unary[] = {"exist", "errorlevel", "defined", "cmdextversion"};
  for (int i = 0; i < 4 && !n->cond; i++)
    if (keyword(ps->p, unary[i])) {
      ps->p += strlen(unary[i]);
      n->cond = xstrdup(unary[i]);
      n->a = operand(ps);
    }
  if (!n->cond) {
    n->cond = xstrdup("cmp");
    n->a = operand(ps);
    ws(ps);
    if (strncmp(ps->p, "==", 2) == 0) {
      ps->p += 2;
      while (*ps->p == '=') ps->p++;
      n->op = xstrdup("==");
    } else {
      n->op = operand(ps);
    }
    n->b = operand(ps);
  }
  if (!*n->a || (n->b && !*n->b)) {
    ps->err = "The syntax of the command is incorrect.";
    return n;
  }
  n->left = parse_body(ps);
  ws(ps);
  if (n->left && n->left->kind == N_BLOCK && keyword(ps->p, "else")) {
    ps->p += 4;
    n->right = parse_body(ps);
  }
  return n;
}

static struct node *parse_for(struct parser *ps) {
  struct node *n = new_node(N_FOR);
  ps->p += 3;
  ws(ps);
  n->cond = xstrdup("");
  if (ps->p[0] == '/' && ps->p[1]) {
    free(n->cond);
    n->cond = dup_range(ps->p + 1, ps->p + 2);
    ps->p += 2;
    ws(ps);
  }
  if (ps->p[0] == '%' && ps->p[1] == '%') ps->p++;
  if (ps->p[0] != '%' || !ps->p[1]) goto bad;
  n->forvar = ps->p[1];
  ps->p += 2;
  ws(ps);
  if (!keyword(ps->p, "in")) goto bad;
  ps->p += 2;
  ws(ps);
  if (*ps->p != '(') goto bad;
  const char *a = ++ps->p;
  while (*ps->p && *ps->p != ')') ps->p++;
  if (!*ps->p) goto bad;
  n->set = dup_range(a, ps->p++);
  ws(ps);
  if (!keyword(ps->p, "do")) goto bad;
  ps->p += 2;
  n->left = parse_body(ps);
  return n;
bad:
  ps->err = "The syntax of the command is incorrect.";
  return n;
}

static struct node *parse_cmd(struct parser *ps) {
  ws_nl(ps);
  int quiet = 0;
  while (*ps->p == '@') {
    quiet = 1;
    ps->p++;
    ws(ps);
  }
  const char *start = ps->p;
  struct node *n;
  if (*ps->p == '(') n = parse_block(ps);
  else if (keyword(ps->p, "if")) n = parse_if(ps);
  else if (keyword(ps->p, "for")) n = parse_for(ps);
  else if (keyword(ps->p, "rem") || (ps->p[0] == ':' && ps->p[1] == ':')) {
    n = new_node(N_SIMPLE);
    const char *e = strchr(ps->p, '\n');
    if (!e) e = ps->p + strlen(ps->p);
    n->text = dup_range(ps->p, e);
    ps->p = e;
  } else {
    n = parse_simple(ps);
    if (!n->redirs && !*skip_ws(n->text) && (*ps->p == '&' || *ps->p == '|') && !ps->err)
      ps->err = unexpected(ps->p);
  }
  n->quiet = quiet;
  n->src = dup_range(start, ps->p);
  return n;
}

static struct node *binary(enum node_kind k, struct node *l, struct node *r) {
  struct node *n = new_node(k);
  n->left = l;
  n->right = r;
  return n;
}

static int missing(struct parser *ps) {
  ws(ps);
  return !*ps->p || *ps->p == '&' || *ps->p == '|' || *ps->p == '\n' ||
         (*ps->p == ')' && ps->depth > 0);
}

static struct node *parse_pipe(struct parser *ps) {
  struct node *l = parse_cmd(ps);
  for (;;) {
    ws(ps);
    if (ps->err || ps->p[0] != '|' || ps->p[1] == '|') return l;
    ps->p++;
    if (missing(ps)) {
      ps->err = unexpected(ps->p);
      return l;
    }
    l = binary(N_PIPE, l, parse_cmd(ps));
  }
}

static struct node *parse_andor(struct parser *ps) {
  struct node *l = parse_pipe(ps);
  for (;;) {
    ws(ps);
    enum node_kind k;
    if (ps->err) return l;
    if (ps->p[0] == '&' && ps->p[1] == '&') k = N_AND;
    else if (ps->p[0] == '|' && ps->p[1] == '|') k = N_OR;
    else return l;
    ps->p += 2;
    if (missing(ps)) {
      ps->err = unexpected(ps->p);
      return l;
    }
    l = binary(k, l, parse_pipe(ps));
  }
}

static struct node *parse_seq(struct parser *ps) {
  struct node *l = parse_andor(ps);
  for (;;) {
    ws(ps);
    if (ps->err || (ps->p[0] != '&' && ps->p[0] != '\n')) return l;
    ps->p++;
    ws_nl(ps);
    if (missing(ps)) return l;
    l = binary(N_SEQ, l, parse_andor(ps));
  }
}

struct node *parse_line(const char *line, const char **err) {
  struct parser ps = {line, 0, NULL};
  struct node *n = parse_seq(&ps);
  ws_nl(&ps);
  if (!ps.err && *ps.p == ')') ps.err = NULL; /* a stray ")" ends the line, as in cmd */
  else if (!ps.err && *ps.p) ps.err = "The syntax of the command is incorrect.";
  *err = ps.err;
  if (ps.err) {
    free_node(n);
    return NULL;
  }
  return n;
}
