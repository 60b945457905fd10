/* Strata sh: reading command lines, the lexer and the recursive-descent parser. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

enum token_type {
  T_WORD,
  T_NEWLINE,
  T_EOF,
  T_SEMI,
  T_AMP,
  T_PIPE,
  T_AND_IF,
  T_OR_IF,
  T_REDIR,
  T_LPAREN,
  T_RPAREN,
  T_DSEMI,
  T_ERROR,
};

struct token {
  enum token_type type;
  int strip_tabs;      /* T_REDIR R_HEREDOC: <<- */
  char *word;          /* T_WORD: raw text (quotes kept) */
  int fd;              /* T_REDIR: explicit fd, or -1 */
  enum redir_kind kind; /* T_REDIR */
  size_t start, end;   /* position in the line text */
};

struct parser {
  struct source *src;
  char *text; /* the command line read so far (may span several lines) */
  size_t len, cap, pos;
  struct token tok; /* current lookahead */
  int have_tok;
  size_t last_end; /* end of the last consumed token */
  struct redir *pending, **pending_tail; /* here-documents whose body comes next */
  int failed;
};

/* ---- input ---- */

static const char *prompt_primary(void) {
  const char *ps1 = var_get("PS1");
  if (ps1) return ps1;
  return geteuid() == 0 ? "# " : "$ ";
}

/* Reads one byte-chunk into the source buffer; 0 at end of input. */
static int source_fill(struct source *s) {
  if (s->eof) return 0;
  /* A non-seekable shared stdin is read a byte at a time so that commands run
   * from the script still see the rest of it, as POSIX requires. */
  size_t want = s->share_fd == 2 ? 1 : sizeof(s->buf);
  for (;;) {
    ssize_t n = read(s->fd, s->buf, want);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      s->eof = 1;
      return 0;
    }
    s->len = (size_t)n;
    s->pos = 0;
    return 1;
  }
}

static void text_append(struct parser *p, const char *s, size_t n) {
  if (p->len + n + 1 > p->cap) {
    size_t cap = p->cap ? p->cap : 256;
    while (cap < p->len + n + 1) cap *= 2;
    char *t = realloc(p->text, cap);
    if (!t) {
      out_str(2, "sh: out of memory\n");
      _exit(2);
    }
    p->text = t;
    p->cap = cap;
  }
  memcpy(p->text + p->len, s, n);
  p->len += n;
  p->text[p->len] = 0;
}

/* Appends a line typed at the terminal with editing, after history expansion
 * (the expanded line is shown, as bash does); 0 at end of input. ^C or an
 * unknown history event fails the whole command without a message. */
static int read_edited(struct parser *p, const char *prompt) {
  char *line;
  int r = lineedit_read(prompt, &line);
  if (r == 0) {
    out_str(2, "\n");
    return 0;
  }
  if (r < 0) {
    sh.line_cancelled = 1;
    p->failed = 1;
    return 0;
  }
  char *expanded = history_expand(line);
  if (expanded == HISTORY_ERROR) {
    p->failed = 1;
    return 0;
  }
  if (expanded) {
    out_str(2, expanded);
    out_str(2, "\n");
    line = expanded;
  }
  history_add(line);
  text_append(p, line, strlen(line));
  text_append(p, "\n", 1);
  return 1;
}

/* Appends the next input line to the parser text; 0 at end of input. */
static int read_line(struct parser *p, int continuation) {
  struct source *s = p->src;
  if (s->str) {
    if (s->str_pos >= s->str_len) return 0;
    const char *start = s->str + s->str_pos;
    const char *nl = memchr(start, '\n', s->str_len - s->str_pos);
    size_t n = nl ? (size_t)(nl - start) + 1 : s->str_len - s->str_pos;
    text_append(p, start, n);
    s->str_pos += n;
    return 1;
  }
  if (s->interactive) {
    if (!sh.is_subshell) jobs_reap(1);
    const char *prompt = continuation ? "> " : prompt_primary();
    if (s->fd == 0 && s->pos >= s->len && lineedit_usable()) return read_edited(p, prompt);
    out_str(2, prompt);
  }
  int got = 0;
  for (;;) {
    if (s->pos >= s->len && !source_fill(s)) break;
    const char *start = s->buf + s->pos;
    const char *nl = memchr(start, '\n', s->len - s->pos);
    size_t n = nl ? (size_t)(nl - start) + 1 : s->len - s->pos;
    text_append(p, start, n);
    s->pos += n;
    got = 1;
    if (nl) break;
  }
  if (s->share_fd == 1 && s->pos < s->len) {
    /* Give unread bytes back so commands that read stdin start after this line. */
    if (lseek(s->fd, -(off_t)(s->len - s->pos), SEEK_CUR) >= 0) s->pos = s->len = 0;
  }
  if (!got && s->interactive) out_str(2, "\n");
  return got;
}

/* ---- lexer ---- */

static int is_meta(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' ||
         c == '>' || c == '(' || c == ')';
}

static void syntax_error(struct parser *p, const char *msg) {
  if (!p->failed) {
    out_str(2, "sh: syntax error: ");
    out_str(2, msg);
    out_str(2, "\n");
  }
  p->failed = 1;
}

/* Growable buffer for one raw word. */
struct wbuf {
  char *s;
  size_t len, cap;
};

static void wb_put(struct wbuf *b, char c) {
  if (b->len + 2 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    char *n = arena_alloc(cap);
    if (b->len) memcpy(n, b->s, b->len);
    b->s = n;
    b->cap = cap;
  }
  b->s[b->len++] = c;
  b->s[b->len] = 0;
}

/* Next char of the text, reading continuation lines when the text runs out. */
static int peek_more(struct parser *p) {
  if (p->pos < p->len) return (unsigned char)p->text[p->pos];
  if (read_line(p, 1)) return (unsigned char)p->text[p->pos];
  return -1;
}

/* Copies a $(...) (after "$(") or `...` (after the opening backquote) into
 * the word, through the matching close, reading more lines if needed. */
static int lex_subst(struct parser *p, struct wbuf *b, int backquote) {
  int depth = 1;
  for (;;) {
    int d = peek_more(p);
    if (d < 0) {
      syntax_error(p, backquote ? "unterminated `" : "unterminated $(");
      return -1;
    }
    p->pos++;
    wb_put(b, (char)d);
    if (d == '\\') {
      int e = peek_more(p);
      if (e >= 0) {
        wb_put(b, (char)e);
        p->pos++;
      }
      continue;
    }
    if (backquote) {
      if (d == '`') return 0;
      continue;
    }
    if (d == '\'' || d == '"') {
      for (;;) {
        int e = peek_more(p);
        if (e < 0) {
          syntax_error(p, "unterminated quote in $(");
          return -1;
        }
        p->pos++;
        wb_put(b, (char)e);
        if (e == '\\' && d == '"') {
          int f = peek_more(p);
          if (f >= 0) {
            wb_put(b, (char)f);
            p->pos++;
          }
          continue;
        }
        if (e == d) break;
      }
      continue;
    }
    if (d == '(') depth++;
    if (d == ')' && --depth == 0) return 0;
  }
}

static int lex_word(struct parser *p, struct token *t) {
  struct wbuf b = {0};
  for (;;) {
    if (p->pos >= p->len) break;
    char c = p->text[p->pos];
    if (is_meta(c)) break;
    if (c == '\\') {
      if (p->pos + 1 < p->len && p->text[p->pos + 1] == '\n') {
        /* Line continuation: drop both and keep reading the word. */
        p->pos += 2;
        if (p->pos >= p->len && !read_line(p, 1)) break;
        continue;
      }
      wb_put(&b, c);
      p->pos++;
      if (p->pos < p->len) wb_put(&b, p->text[p->pos++]);
      continue;
    }
    if (c == '\'') {
      wb_put(&b, c);
      p->pos++;
      for (;;) {
        int d = peek_more(p);
        if (d < 0) {
          syntax_error(p, "unterminated quote '");
          return -1;
        }
        wb_put(&b, (char)d);
        p->pos++;
        if (d == '\'') break;
      }
      continue;
    }
    if (c == '"') {
      wb_put(&b, c);
      p->pos++;
      for (;;) {
        int d = peek_more(p);
        if (d < 0) {
          syntax_error(p, "unterminated quote \"");
          return -1;
        }
        p->pos++;
        if (d == '\\') {
          int e = peek_more(p);
          if (e == '\n') {
            p->pos++;
            continue;
          }
          wb_put(&b, '\\');
          if (e >= 0) {
            wb_put(&b, (char)e);
            p->pos++;
          }
          continue;
        }
        wb_put(&b, (char)d);
        if (d == '`' || (d == '$' && peek_more(p) == '(')) {
          if (d == '$') wb_put(&b, p->text[p->pos++]);
          if (lex_subst(p, &b, d == '`') < 0) return -1;
          continue;
        }
        if (d == '"') break;
      }
      continue;
    }
    if (c == '`' || (c == '$' && p->pos + 1 < p->len && p->text[p->pos + 1] == '(')) {
      wb_put(&b, c);
      p->pos++;
      if (c == '$') wb_put(&b, p->text[p->pos++]);
      if (lex_subst(p, &b, c == '`') < 0) return -1;
      continue;
    }
    if (c == '$' && p->pos + 1 < p->len && p->text[p->pos + 1] == '{') {
      /* Copy through the closing brace so spaces inside ${x:-a b} stay in the word. */
      while (p->pos < p->len && p->text[p->pos] != '}') wb_put(&b, p->text[p->pos++]);
      if (p->pos >= p->len) {
        syntax_error(p, "missing }");
        return -1;
      }
      wb_put(&b, p->text[p->pos++]);
      continue;
    }
    wb_put(&b, c);
    p->pos++;
  }
  t->type = T_WORD;
  t->word = b.s ? b.s : arena_strdup("");
  return 0;
}

static void read_heredoc_bodies(struct parser *p);

static void lex(struct parser *p, struct token *t) {
  t->fd = -1;
  t->word = NULL;
  t->strip_tabs = 0;
  for (;;) {
    while (p->pos < p->len && (p->text[p->pos] == ' ' || p->text[p->pos] == '\t')) p->pos++;
    if (p->pos + 1 < p->len && p->text[p->pos] == '\\' && p->text[p->pos + 1] == '\n') {
      p->pos += 2;
      if (p->pos >= p->len) read_line(p, 1);
      continue;
    }
    if (p->pos < p->len && p->text[p->pos] == '#') {
      while (p->pos < p->len && p->text[p->pos] != '\n') p->pos++;
    }
    break;
  }
  t->start = p->pos;
  if (p->pos >= p->len) {
    t->type = T_EOF;
    t->end = p->pos;
    return;
  }
  const char *s = p->text + p->pos;
  size_t left = p->len - p->pos;
  char c = s[0], c1 = left > 1 ? s[1] : 0;
  int n = 1;
  /* An all-digit word directly followed by < or > names the fd to redirect. */
  if (c >= '0' && c <= '9') {
    size_t i = 0;
    while (i < left && s[i] >= '0' && s[i] <= '9') i++;
    if (i < left && (s[i] == '<' || s[i] == '>') && i < 4) {
      t->fd = 0;
      for (size_t k = 0; k < i; k++) t->fd = t->fd * 10 + (s[k] - '0');
      p->pos += i;
      s += i;
      left -= i;
      c = s[0];
      c1 = left > 1 ? s[1] : 0;
    }
  }
  switch (c) {
  case '\n':
    t->type = T_NEWLINE;
    if (p->pending) {
      p->pos++;
      t->end = p->pos;
      read_heredoc_bodies(p);
      return;
    }
    break;
  case ';':
    if (c1 == ';') n = 2, t->type = T_DSEMI;
    else t->type = T_SEMI;
    break;
  case '&':
    if (c1 == '&') n = 2, t->type = T_AND_IF;
    else t->type = T_AMP;
    break;
  case '|':
    if (c1 == '|') n = 2, t->type = T_OR_IF;
    else t->type = T_PIPE;
    break;
  case '<':
    t->type = T_REDIR;
    if (c1 == '<') {
      n = 2, t->kind = R_HEREDOC;
      if (left > 2 && s[2] == '-') n = 3, t->strip_tabs = 1;
    } else if (c1 == '&') n = 2, t->kind = R_DUP_IN;
    else if (c1 == '>') n = 2, t->kind = R_RDWR;
    else t->kind = R_IN;
    break;
  case '>':
    t->type = T_REDIR;
    if (c1 == '>') n = 2, t->kind = R_APPEND;
    else if (c1 == '&') n = 2, t->kind = R_DUP_OUT;
    else if (c1 == '|') n = 2, t->kind = R_OUT;
    else t->kind = R_OUT;
    break;
  case '(': t->type = T_LPAREN; break;
  case ')': t->type = T_RPAREN; break;
  default:
    if (lex_word(p, t) < 0) {
      t->type = T_ERROR;
      return;
    }
    t->end = p->pos;
    return;
  }
  p->pos += (size_t)n;
  t->end = p->pos;
}

static struct token *peek(struct parser *p) {
  if (!p->have_tok) {
    lex(p, &p->tok);
    p->have_tok = 1;
  }
  return &p->tok;
}

static void consume(struct parser *p) {
  p->last_end = p->tok.end;
  p->have_tok = 0;
}

static void unexpected(struct parser *p, struct token *t) {
  if (t->type == T_ERROR) {
    p->failed = 1;
    return;
  }
  if (t->type == T_EOF) {
    syntax_error(p, "unexpected end of input");
    return;
  }
  char msg[96];
  size_t n = t->end - t->start;
  if (t->type == T_NEWLINE) {
    strcpy(msg, "unexpected newline");
  } else {
    if (n > 40) n = 40;
    strcpy(msg, "unexpected `");
    memcpy(msg + 12, p->text + t->start, n);
    strcpy(msg + 12 + n, "'");
  }
  syntax_error(p, msg);
}

/* After | && ||, newlines are skipped and more input is read if needed. */
static void linebreak(struct parser *p) {
  for (;;) {
    struct token *t = peek(p);
    if (t->type == T_NEWLINE) {
      consume(p);
      continue;
    }
    if (t->type == T_EOF && read_line(p, 1)) {
      consume(p);
      continue;
    }
    return;
  }
}

/* ---- grammar ---- */

static struct andor *parse_andor(struct parser *p);

static int is_word(struct token *t, const char *w) {
  return t->type == T_WORD && strcmp(t->word, w) == 0;
}

/* Reserved words that end a compound list and cannot start a command. */
static int is_closing_word(struct token *t) {
  static const char *const words[] = {"then", "elif", "else", "fi", "do", "done", "}", "esac"};
  for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
    if (is_word(t, words[i])) return 1;
  return 0;
}

/* A list inside a compound command: and-or lists separated by ; & or
 * newlines, up to a closing reserved word or ), reading more lines as needed. */
static struct andor *parse_list_body(struct parser *p, int allow_empty) {
  struct andor *head = NULL, **tail = &head;
  for (;;) {
    struct token *t = peek(p);
    if (t->type == T_NEWLINE) {
      consume(p);
      continue;
    }
    if (t->type == T_EOF) {
      if (read_line(p, 1)) {
        consume(p);
        continue;
      }
      unexpected(p, t);
      return NULL;
    }
    if (t->type == T_RPAREN || t->type == T_DSEMI || is_closing_word(t)) break;
    struct andor *a = parse_andor(p);
    if (!a) return NULL;
    *tail = a;
    tail = &a->next;
    t = peek(p);
    if (t->type == T_AMP) {
      a->background = 1;
      consume(p);
    } else if (t->type == T_SEMI || t->type == T_NEWLINE) {
      consume(p);
    } else if (t->type != T_EOF && t->type != T_RPAREN && t->type != T_DSEMI &&
               !is_closing_word(t)) {
      unexpected(p, t);
      return NULL;
    }
  }
  if (!head && !allow_empty) {
    unexpected(p, peek(p));
    return NULL;
  }
  return head;
}

static struct andor *parse_compound_list(struct parser *p) { return parse_list_body(p, 0); }

static int expect_word(struct parser *p, const char *w) {
  struct token *t = peek(p);
  if (!is_word(t, w)) {
    unexpected(p, t);
    return -1;
  }
  consume(p);
  return 0;
}

static struct command *new_command(enum cmd_type type) {
  struct command *c = arena_alloc(sizeof(*c));
  memset(c, 0, sizeof(*c));
  c->type = type;
  return c;
}

/* After `if` or `elif`: cond then body [elif ...|else ...] fi. */
static struct command *parse_if(struct parser *p) {
  struct command *c = new_command(CMD_IF);
  if (!(c->cond = parse_compound_list(p)) || expect_word(p, "then") < 0) return NULL;
  if (!(c->body = parse_compound_list(p))) return NULL;
  struct token *t = peek(p);
  if (is_word(t, "elif")) {
    consume(p);
    /* The nested if owns the closing fi. */
    return (c->else_part = parse_if(p)) ? c : NULL;
  }
  if (is_word(t, "else")) {
    consume(p);
    c->else_part = new_command(CMD_GROUP);
    if (!(c->else_part->body = parse_compound_list(p))) return NULL;
  }
  return expect_word(p, "fi") < 0 ? NULL : c;
}

static void skip_newlines(struct parser *p) {
  for (;;) {
    struct token *t = peek(p);
    if (t->type == T_NEWLINE) {
      consume(p);
    } else if (t->type == T_EOF && read_line(p, 1)) {
      consume(p);
    } else {
      return;
    }
  }
}

/* After `for`: NAME [in WORD...] ; do body done. */
static struct command *parse_for(struct parser *p) {
  struct command *c = new_command(CMD_FOR);
  struct token *t = peek(p);
  if (t->type != T_WORD || !var_name_valid(t->word, strlen(t->word))) {
    syntax_error(p, "for needs a variable name");
    return NULL;
  }
  c->var = t->word;
  consume(p);
  skip_newlines(p);
  t = peek(p);
  int cap = 8;
  c->words = arena_alloc((size_t)cap * sizeof(char *));
  if (is_word(t, "in")) {
    c->has_in = 1;
    consume(p);
    while ((t = peek(p))->type == T_WORD) {
      if (c->nwords + 1 >= cap) {
        char **n = arena_alloc((size_t)cap * 2 * sizeof(char *));
        memcpy(n, c->words, (size_t)c->nwords * sizeof(char *));
        c->words = n;
        cap *= 2;
      }
      c->words[c->nwords++] = t->word;
      consume(p);
    }
    if (t->type != T_SEMI && t->type != T_NEWLINE) {
      unexpected(p, t);
      return NULL;
    }
    consume(p);
  } else if (t->type == T_SEMI) {
    consume(p);
  }
  c->words[c->nwords] = NULL;
  skip_newlines(p);
  if (expect_word(p, "do") < 0 || !(c->body = parse_compound_list(p))) return NULL;
  return expect_word(p, "done") < 0 ? NULL : c;
}

/* After `case`: WORD in [(]PATTERN[|PATTERN]...) LIST ;; ... esac. */
static struct command *parse_case(struct parser *p) {
  struct command *c = new_command(CMD_CASE);
  struct token *t = peek(p);
  if (t->type != T_WORD) {
    unexpected(p, t);
    return NULL;
  }
  c->words = arena_alloc(2 * sizeof(char *));
  c->words[0] = t->word;
  c->words[1] = NULL;
  c->nwords = 1;
  consume(p);
  skip_newlines(p);
  if (expect_word(p, "in") < 0) return NULL;
  struct case_item **tail = &c->items;
  for (;;) {
    skip_newlines(p);
    t = peek(p);
    if (is_word(t, "esac")) {
      consume(p);
      return c;
    }
    struct case_item *it = arena_alloc(sizeof(*it));
    memset(it, 0, sizeof(*it));
    if (t->type == T_LPAREN) consume(p);
    int cap = 4;
    it->patterns = arena_alloc((size_t)cap * sizeof(char *));
    for (;;) {
      t = peek(p);
      if (t->type != T_WORD) {
        unexpected(p, t);
        return NULL;
      }
      if (it->npatterns == cap) {
        char **n = arena_alloc((size_t)cap * 2 * sizeof(char *));
        memcpy(n, it->patterns, (size_t)cap * sizeof(char *));
        it->patterns = n;
        cap *= 2;
      }
      it->patterns[it->npatterns++] = t->word;
      consume(p);
      t = peek(p);
      if (t->type == T_PIPE) {
        consume(p);
        continue;
      }
      if (t->type != T_RPAREN) {
        unexpected(p, t);
        return NULL;
      }
      consume(p);
      break;
    }
    it->body = parse_list_body(p, 1);
    if (p->failed) return NULL;
    *tail = it;
    tail = &it->next;
    t = peek(p);
    if (t->type == T_DSEMI) {
      consume(p);
    } else if (!is_word(t, "esac")) {
      unexpected(p, t);
      return NULL;
    }
  }
}

static int parse_redirect(struct parser *p, struct redir ***tail) {
  struct token *t = peek(p);
  int kind_strip = t->strip_tabs;
  struct redir *r = arena_alloc(sizeof(*r));
  memset(r, 0, sizeof(*r));
  r->kind = t->kind;
  r->fd = t->fd >= 0 ? t->fd
          : (t->kind == R_IN || t->kind == R_DUP_IN || t->kind == R_RDWR || t->kind == R_HEREDOC)
              ? 0
              : 1;
  r->next = NULL;
  consume(p);
  t = peek(p);
  if (t->type != T_WORD) {
    unexpected(p, t);
    return -1;
  }
  r->target = t->word;
  consume(p);
  if (r->kind == R_HEREDOC) {
    /* The body follows the end of this line; until then target is the delimiter. */
    r->strip_tabs = kind_strip;
    r->next_pending = NULL;
    *p->pending_tail = r;
    p->pending_tail = &r->next_pending;
  }
  **tail = r;
  *tail = &r->next;
  return 0;
}

/* Reads the bodies of the pending here-documents: the lines after the
 * current one, up to each delimiter. They are cut out of the line text. */
static void read_heredoc_bodies(struct parser *p) {
  for (struct redir *r = p->pending; r; r = r->next_pending) {
    /* Delimiter: the word with quotes removed; any quoting makes the body literal. */
    struct wbuf d = {0};
    for (const char *q = r->target; *q; q++) {
      if (*q == '\'' || *q == '"') {
        r->quoted = 1;
        continue;
      }
      if (*q == '\\' && q[1]) {
        r->quoted = 1;
        q++;
      }
      wb_put(&d, *q);
    }
    const char *delim = d.s ? d.s : "";
    struct wbuf body = {0};
    size_t base = p->len;
    int found = 0;
    while (read_line(p, 1)) {
      char *line = p->text + base;
      size_t n = p->len - base;
      if (r->strip_tabs)
        while (n > 0 && *line == '\t') line++, n--;
      size_t content = n > 0 && line[n - 1] == '\n' ? n - 1 : n;
      if (content == strlen(delim) && memcmp(line, delim, content) == 0) found = 1;
      else
        for (size_t i = 0; i < n; i++) wb_put(&body, line[i]);
      p->len = base;
      p->text[base] = 0;
      if (found) break;
    }
    if (!found) syntax_error(p, "here-document delimited by end of input");
    r->target = body.s ? body.s : arena_strdup("");
  }
  p->pending = NULL;
  p->pending_tail = &p->pending;
}

static struct command *parse_compound(struct parser *p) {
  struct token *t = peek(p);
  struct command *c = NULL;
  if (t->type == T_LPAREN) {
    consume(p);
    c = new_command(CMD_SUBSHELL);
    if (!(c->body = parse_compound_list(p))) return NULL;
    if (peek(p)->type != T_RPAREN) {
      unexpected(p, peek(p));
      return NULL;
    }
    consume(p);
  } else if (is_word(t, "{")) {
    consume(p);
    c = new_command(CMD_GROUP);
    if (!(c->body = parse_compound_list(p)) || expect_word(p, "}") < 0) return NULL;
  } else if (is_word(t, "if")) {
    consume(p);
    c = parse_if(p);
  } else if (is_word(t, "while") || is_word(t, "until")) {
    c = new_command(is_word(t, "while") ? CMD_WHILE : CMD_UNTIL);
    consume(p);
    if (!(c->cond = parse_compound_list(p)) || expect_word(p, "do") < 0) return NULL;
    if (!(c->body = parse_compound_list(p)) || expect_word(p, "done") < 0) return NULL;
  } else if (is_word(t, "for")) {
    consume(p);
    c = parse_for(p);
  } else if (is_word(t, "case")) {
    consume(p);
    c = parse_case(p);
  }
  if (!c) return NULL;
  struct redir **tail = &c->redirs;
  while (peek(p)->type == T_REDIR)
    if (parse_redirect(p, &tail) < 0) return NULL;
  return c;
}

/* NAME ( ) compound-command: keeps the body's source text. */
static struct command *parse_function(struct parser *p, char *name) {
  if (!var_name_valid(name, strlen(name))) {
    syntax_error(p, "bad function name");
    return NULL;
  }
  consume(p); /* ( */
  if (peek(p)->type != T_RPAREN) {
    unexpected(p, peek(p));
    return NULL;
  }
  consume(p);
  skip_newlines(p);
  struct token *t = peek(p);
  if (!(t->type == T_LPAREN || is_word(t, "{") || is_word(t, "if") || is_word(t, "while") ||
        is_word(t, "until") || is_word(t, "for") || is_word(t, "case"))) {
    syntax_error(p, "a function body must be a compound command");
    return NULL;
  }
  size_t start = t->start;
  if (!parse_compound(p)) return NULL;
  struct command *c = new_command(CMD_FUNCDEF);
  c->var = name;
  c->words = arena_alloc(2 * sizeof(char *));
  c->words[0] = arena_strndup(p->text + start, p->last_end - start);
  c->words[1] = NULL;
  c->nwords = 1;
  return c;
}

/* Replaces text[start, end) of the command line by value (for aliases). */
static void text_splice(struct parser *p, size_t start, size_t end, const char *value) {
  size_t vn = strlen(value);
  char *rest = arena_strndup(p->text + end, p->len - end);
  size_t rest_n = p->len - end;
  p->len = start;
  text_append(p, value, vn);
  text_append(p, rest, rest_n);
}

/* Alias substitution: while the command's first word names an alias, it is
 * replaced by the alias text and lexed again (an alias already expanded here
 * is not expanded again, so `alias ls='ls -F'` works). */
static void expand_aliases(struct parser *p) {
  const char *seen[16];
  int nseen = 0;
  for (;;) {
    struct token *t = peek(p);
    if (t->type != T_WORD || nseen == 16) return;
    const char *value = alias_get(t->word);
    if (!value) return;
    for (int i = 0; i < nseen; i++)
      if (strcmp(seen[i], t->word) == 0) return;
    seen[nseen++] = t->word;
    text_splice(p, t->start, t->end, value);
    p->pos = t->start;
    p->have_tok = 0;
  }
}

static struct command *parse_command(struct parser *p) {
  expand_aliases(p);
  struct token *t = peek(p);
  if (t->type == T_LPAREN || is_word(t, "{") || is_word(t, "if") || is_word(t, "while") ||
      is_word(t, "until") || is_word(t, "for") || is_word(t, "case"))
    return parse_compound(p);
  if (is_closing_word(t)) {
    unexpected(p, t);
    return NULL;
  }
  struct command *c = new_command(CMD_SIMPLE);
  int cap = 8;
  c->words = arena_alloc((size_t)cap * sizeof(char *));
  struct redir **tail = &c->redirs;
  for (;;) {
    t = peek(p);
    if (t->type == T_WORD) {
      if (c->nwords + 1 >= cap) {
        char **n = arena_alloc((size_t)cap * 2 * sizeof(char *));
        memcpy(n, c->words, (size_t)c->nwords * sizeof(char *));
        c->words = n;
        cap *= 2;
      }
      c->words[c->nwords++] = t->word;
      consume(p);
      if (c->nwords == 1 && !c->redirs && peek(p)->type == T_LPAREN)
        return parse_function(p, c->words[0]);
    } else if (t->type == T_REDIR) {
      if (parse_redirect(p, &tail) < 0) return NULL;
    } else {
      break;
    }
  }
  c->words[c->nwords] = NULL;
  if (c->nwords == 0 && !c->redirs) {
    unexpected(p, peek(p));
    return NULL;
  }
  return c;
}

static struct pipeline *parse_pipeline(struct parser *p) {
  struct pipeline *pl = arena_alloc(sizeof(*pl));
  pl->ncmds = 0;
  pl->negate = 0;
  struct token *t = peek(p);
  if (t->type == T_WORD && strcmp(t->word, "!") == 0) {
    pl->negate = 1;
    consume(p);
  }
  for (;;) {
    struct command *c = parse_command(p);
    if (!c) return NULL;
    if (pl->ncmds == SH_MAX_PIPE) {
      syntax_error(p, "pipeline too long");
      return NULL;
    }
    pl->cmds[pl->ncmds++] = c;
    if (peek(p)->type != T_PIPE) break;
    consume(p);
    linebreak(p);
  }
  return pl;
}

static struct andor *parse_andor(struct parser *p) {
  struct andor *a = arena_alloc(sizeof(*a));
  int cap = 4;
  a->pipes = arena_alloc((size_t)cap * sizeof(*a->pipes));
  a->ops = arena_alloc((size_t)cap * sizeof(*a->ops));
  a->npipes = 0;
  a->background = 0;
  a->next = NULL;
  size_t start = peek(p)->start, end;
  for (;;) {
    struct pipeline *pl = parse_pipeline(p);
    if (!pl) return NULL;
    if (a->npipes == cap) {
      struct pipeline **np = arena_alloc((size_t)cap * 2 * sizeof(*np));
      enum andor_op *no = arena_alloc((size_t)cap * 2 * sizeof(*no));
      memcpy(np, a->pipes, (size_t)cap * sizeof(*np));
      memcpy(no, a->ops, (size_t)cap * sizeof(*no));
      a->pipes = np;
      a->ops = no;
      cap *= 2;
    }
    a->pipes[a->npipes++] = pl;
    struct token *t = peek(p);
    end = t->start;
    if (t->type != T_AND_IF && t->type != T_OR_IF) break;
    a->ops[a->npipes - 1] = t->type == T_AND_IF ? OP_AND : OP_OR;
    consume(p);
    linebreak(p);
  }
  while (end > start && (p->text[end - 1] == ' ' || p->text[end - 1] == '\t')) end--;
  a->text = arena_strndup(p->text + start, end - start);
  return a;
}

enum parse_result parse_line(struct source *src, struct andor **out) {
  static struct parser p;
  p.src = src;
  p.len = p.pos = 0;
  p.have_tok = 0;
  p.failed = 0;
  p.pending = NULL;
  p.pending_tail = &p.pending;
  *out = NULL;
  if (!read_line(&p, 0)) return p.failed ? PARSE_ERROR : PARSE_EOF;
  struct andor **tail = out;
  for (;;) {
    struct token *t = peek(&p);
    if (t->type == T_NEWLINE || t->type == T_EOF) break;
    struct andor *a = parse_andor(&p);
    if (!a) break;
    *tail = a;
    tail = &a->next;
    t = peek(&p);
    if (t->type == T_AMP) {
      a->background = 1;
      consume(&p);
    } else if (t->type == T_SEMI) {
      consume(&p);
    } else if (t->type != T_NEWLINE && t->type != T_EOF) {
      unexpected(&p, t);
      break;
    }
  }
  if (p.pending && !p.failed) read_heredoc_bodies(&p);
  if (p.failed) {
    *out = NULL;
    return PARSE_ERROR;
  }
  return PARSE_OK;
}
