/* awk lexer (included once by awk.c): lex() turns the program text into an
 * array of tokens. A `/` starts a regular expression unless the previous token
 * ends an operand (then it divides); newlines are tokens (they end
 * statements), except after `\`; `#` starts a comment. */
#ifndef STRATA_AWK_LEX_H
#define STRATA_AWK_LEX_H

#include "awk_value.h"

enum {
  TK_EOF = 256, TK_NL, TK_NUMBER, TK_STRING, TK_ERE, TK_NAME, TK_FUNC_NAME, TK_BUILTIN,
  TK_BEGIN, TK_END, TK_FUNCTION, TK_IF, TK_ELSE, TK_WHILE, TK_FOR, TK_DO, TK_BREAK,
  TK_CONTINUE, TK_NEXT, TK_NEXTFILE, TK_EXIT, TK_RETURN, TK_DELETE, TK_GETLINE, TK_PRINT,
  TK_PRINTF, TK_IN, TK_ADD_ASSIGN, TK_SUB_ASSIGN, TK_MUL_ASSIGN, TK_DIV_ASSIGN,
  TK_MOD_ASSIGN, TK_POW_ASSIGN, TK_EQ, TK_LE, TK_GE, TK_NE, TK_NOMATCH, TK_INCR, TK_DECR,
  TK_AND, TK_OR, TK_APPEND,
};

struct token {
  int t, line;
  double num;
  char *str; /* NAME, FUNC_NAME, BUILTIN, STRING, ERE */
};

static const struct {
  const char *name;
  int tok;
} keywords[] = {
    {"BEGIN", TK_BEGIN}, {"END", TK_END}, {"function", TK_FUNCTION}, {"func", TK_FUNCTION},
    {"if", TK_IF}, {"else", TK_ELSE}, {"while", TK_WHILE}, {"for", TK_FOR}, {"do", TK_DO},
    {"break", TK_BREAK}, {"continue", TK_CONTINUE}, {"next", TK_NEXT},
    {"nextfile", TK_NEXTFILE}, {"exit", TK_EXIT}, {"return", TK_RETURN},
    {"delete", TK_DELETE}, {"getline", TK_GETLINE}, {"print", TK_PRINT},
    {"printf", TK_PRINTF}, {"in", TK_IN},
};

static const char *const builtin_names[] = {
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower",
    "toupper", "int", "sqrt", "exp", "log", "sin", "cos", "atan2", "rand", "srand",
    "system", "close", "fflush",
};
enum { NBUILTINS = sizeof builtin_names / sizeof builtin_names[0] };

static const struct {
  const char *op;
  int tok;
} operators[] = {
    {"+=", TK_ADD_ASSIGN}, {"-=", TK_SUB_ASSIGN}, {"*=", TK_MUL_ASSIGN},
    {"/=", TK_DIV_ASSIGN}, {"%=", TK_MOD_ASSIGN}, {"^=", TK_POW_ASSIGN},
    {"**=", TK_POW_ASSIGN}, {"**", '^'}, {"==", TK_EQ}, {"<=", TK_LE}, {">=", TK_GE},
    {"!=", TK_NE}, {"!~", TK_NOMATCH}, {"++", TK_INCR}, {"--", TK_DECR}, {"&&", TK_AND},
    {"||", TK_OR}, {">>", TK_APPEND},
};

static void syntax_error(int line);

struct lexer {
  const char *p;
  int line;
  struct token *toks;
  size_t n, cap;
};

static void lex_push(struct lexer *lx, struct token t) {
  if (lx->n == lx->cap) {
    lx->cap = lx->cap ? lx->cap * 2 : 256;
    struct token *nt = xmalloc(lx->cap * sizeof *nt);
    if (lx->n) memcpy(nt, lx->toks, lx->n * sizeof *nt);
    free(lx->toks);
    lx->toks = nt;
  }
  t.line = lx->line;
  lx->toks[lx->n++] = t;
}

/* Does the previous token end an operand (so `/` divides)? */
static int ends_operand(const struct lexer *lx) {
  if (!lx->n) return 0;
  int t = lx->toks[lx->n - 1].t;
  return t == TK_NAME || t == TK_NUMBER || t == TK_STRING || t == TK_ERE || t == TK_BUILTIN ||
         t == ')' || t == ']' || t == '$' || t == TK_INCR || t == TK_DECR;
}

/* One escape after a backslash in a string; *p points after the backslash. */
static int lex_escape(const char **pp) {
  const char *p = *pp;
  int c = *p++;
  switch (c) {
  case 'n': c = '\n'; break;
  case 't': c = '\t'; break;
  case 'r': c = '\r'; break;
  case '\\': c = '\\'; break;
  case '"': c = '"'; break;
  case '/': c = '/'; break;
  case 'a': c = '\a'; break;
  case 'b': c = '\b'; break;
  case 'f': c = '\f'; break;
  case 'v': c = '\v'; break;
  default:
    if (c >= '0' && c <= '7') {
      c -= '0';
      for (int i = 0; i < 2 && *p >= '0' && *p <= '7'; i++) c = c * 8 + (*p++ - '0');
    } else {
      *pp = p - 1; /* keep the backslash and the character */
      return -1;
    }
  }
  *pp = p;
  return c;
}

static void buf_put(struct buf *b, int c) {
  char ch = (char)c;
  buf_add(b, &ch, 1);
}

/* In a /regex/, copies a bracket expression (where `/` is literal) after its `[`. */
static void lex_bracket(struct lexer *lx, struct buf *b) {
  buf_put(b, '[');
  if (*lx->p == '^') buf_put(b, *lx->p++);
  if (*lx->p == ']') buf_put(b, *lx->p++);
  while (*lx->p && *lx->p != '\n' && *lx->p != ']') {
    if (lx->p[0] == '[' && lx->p[1] == ':') {
      const char *e = strstr(lx->p + 2, ":]");
      if (e) {
        while (lx->p < e + 2) buf_put(b, *lx->p++);
        continue;
      }
    }
    buf_put(b, *lx->p++);
  }
  if (*lx->p != ']') syntax_error(lx->line);
  buf_put(b, *lx->p++);
}

/* Reads a "string" (escapes processed) or a /regex/ (only \/ unescaped). */
static char *lex_quoted(struct lexer *lx, int close, int regex) {
  struct buf b = {0};
  for (;;) {
    int c = (unsigned char)*lx->p;
    if (!c || c == '\n') syntax_error(lx->line);
    lx->p++;
    if (c == close) break;
    if (regex && c == '[') {
      lex_bracket(lx, &b);
      continue;
    }
    if (c == '\\' && *lx->p) {
      if (regex) {
        if (*lx->p == '/') c = *lx->p++;
        else {
          buf_put(&b, '\\');
          c = (unsigned char)*lx->p++;
        }
      } else if (*lx->p == '\n') {
        lx->p++;
        lx->line++;
        continue;
      } else {
        int e = lex_escape(&lx->p);
        c = e < 0 ? '\\' : e;
      }
    }
    buf_put(&b, c);
  }
  return buf_take(&b);
}

static void lex_word(struct lexer *lx) {
  const char *s = lx->p;
  while (isalnum((unsigned char)*lx->p) || *lx->p == '_') lx->p++;
  size_t len = (size_t)(lx->p - s);
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
    if (strlen(keywords[i].name) == len && memcmp(keywords[i].name, s, len) == 0) {
      lex_push(lx, (struct token){.t = keywords[i].tok});
      return;
    }
  char *name = xstrndup(s, len);
  for (int i = 0; i < NBUILTINS; i++)
    if (strcmp(builtin_names[i], name) == 0) {
      lex_push(lx, (struct token){.t = TK_BUILTIN, .num = i, .str = name});
      return;
    }
  lex_push(lx, (struct token){.t = *lx->p == '(' ? TK_FUNC_NAME : TK_NAME, .str = name});
}

static void lex_operator(struct lexer *lx) {
  for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++) {
    size_t len = strlen(operators[i].op);
    if (strncmp(lx->p, operators[i].op, len) == 0) {
      lx->p += len;
      lex_push(lx, (struct token){.t = operators[i].tok});
      return;
    }
  }
  if (!strchr("{}()[];,+-*/%^!><|?:~$=", *lx->p)) syntax_error(lx->line);
  lex_push(lx, (struct token){.t = (unsigned char)*lx->p++});
}

static struct token *lex(const char *src) {
  struct lexer lx = {src, 1, NULL, 0, 0};
  for (;;) {
    int c = (unsigned char)*lx.p;
    if (!c) break;
    if (c == ' ' || c == '\t' || c == '\r') lx.p++;
    else if (c == '\\' && lx.p[1] == '\n') lx.p += 2, lx.line++;
    else if (c == '\\' && lx.p[1] == '\r' && lx.p[2] == '\n') lx.p += 3, lx.line++;
    else if (c == '#') {
      while (*lx.p && *lx.p != '\n') lx.p++;
    } else if (c == '\n') {
      lex_push(&lx, (struct token){.t = TK_NL});
      lx.p++;
      lx.line++;
    } else if (isdigit(c) || (c == '.' && isdigit((unsigned char)lx.p[1]))) {
      size_t n = num_prefix(lx.p);
      char *num = xstrndup(lx.p, n);
      lex_push(&lx, (struct token){.t = TK_NUMBER, .num = strtod(num, NULL)});
      free(num);
      lx.p += n;
    } else if (isalpha(c) || c == '_') lex_word(&lx);
    else if (c == '"') {
      lx.p++;
      char *s = lex_quoted(&lx, '"', 0);
      lex_push(&lx, (struct token){.t = TK_STRING, .str = s});
    } else if (c == '/' && !ends_operand(&lx)) {
      lx.p++;
      char *s = lex_quoted(&lx, '/', 1);
      lex_push(&lx, (struct token){.t = TK_ERE, .str = s});
    } else lex_operator(&lx);
  }
  lex_push(&lx, (struct token){.t = TK_NL});
  lex_push(&lx, (struct token){.t = TK_EOF});
  return lx.toks;
}

#endif
