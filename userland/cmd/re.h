/* A small POSIX regular expression matcher with sub-expressions, shared by
 * sed and vi (static functions: each program includes it once).
 *
 * Syntax: basic (BRE) or extended (ERE): literals, `.`, bracket expressions
 * with ranges, negation and [:class:] names, `*`, intervals, groups with
 * captures and back-references \1-\9, anchors `^` `$`, and GNU's \+ \? \|
 * \w \W \s \S \b \B \< \> \n \t (ERE: + ? | ( ) { } unescaped).
 *
 * Matching backtracks over a tree of nodes, greedily, alternatives in order
 * (leftmost, first alternative that leads to a match; POSIX's
 * leftmost-longest rule differs for some alternations).
 *
 *   re_compile() -> parse_alts()/parse_seq()/parse_atom()  builds the tree
 *   re_exec()    -> try_at() -> step()/group_iter()/resume()  matches */
#ifndef STRATA_RE_H
#define STRATA_RE_H

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define RE_NSUB 10

enum { RN_CHAR, RN_ANY, RN_SET, RN_BOL, RN_EOL, RN_GROUP, RN_BACKREF, RN_WORDB, RN_NWORDB, RN_BOW, RN_EOW };

struct re_alt;

struct re_node {
  int type, c, min, max; /* max -1: no bound */
  int group;             /* RN_GROUP: capture index (-1: none); RN_BACKREF: the index */
  unsigned char set[32];
  struct re_alt *alts; /* RN_GROUP */
  struct re_node *next;
};

struct re_alt {
  struct re_node *first;
  struct re_alt *next;
};

struct re {
  struct re_node *root; /* a group 0 node */
  int ngroups, icase;
};

/* ---- parsing ---- */

struct re_parser {
  const char *p;
  int ere, icase, ngroups;
  const char *err;
};

static struct re_node *re_new(int type) {
  struct re_node *n = calloc(1, sizeof *n);
  if (!n) abort();
  n->type = type;
  n->min = n->max = 1;
  n->group = -1;
  return n;
}

static void re_set_bit(struct re_node *n, int c) { n->set[(unsigned char)c >> 3] |= (unsigned char)(1 << (c & 7)); }
static int re_has_bit(const struct re_node *n, int c) { return n->set[(unsigned char)c >> 3] >> (c & 7) & 1; }

static int re_is_word(int c) { return isalnum(c) || c == '_'; }

static const struct {
  const char *name;
  int (*test)(int);
} re_classes[] = {
    {"alpha", isalpha}, {"digit", isdigit}, {"alnum", isalnum}, {"upper", isupper},
    {"lower", islower}, {"space", isspace}, {"blank", isblank}, {"punct", ispunct},
    {"print", isprint}, {"graph", isgraph}, {"cntrl", iscntrl}, {"xdigit", isxdigit},
};

static struct re_node *re_class_node(int (*test)(int), int negate) {
  struct re_node *n = re_new(RN_SET);
  for (int c = 1; c < 256; c++)
    if (!test(c) != !negate) re_set_bit(n, c);
  return n;
}

/* After '['. */
static struct re_node *re_bracket(struct re_parser *ps) {
  struct re_node *n = re_new(RN_SET);
  int negate = 0;
  if (*ps->p == '^') negate = 1, ps->p++;
  const char *first = ps->p;
  for (;;) {
    if (!*ps->p) {
      ps->err = "unterminated address regex";
      return n;
    }
    if (*ps->p == ']' && ps->p > first) break;
    if (ps->p[0] == '[' && ps->p[1] == ':') {
      const char *end = strstr(ps->p + 2, ":]");
      if (!end) {
        ps->err = "unterminated address regex";
        return n;
      }
      size_t len = (size_t)(end - ps->p - 2), i, nc = sizeof re_classes / sizeof re_classes[0];
      for (i = 0; i < nc; i++)
        if (strlen(re_classes[i].name) == len && memcmp(re_classes[i].name, ps->p + 2, len) == 0) break;
      if (i == nc) {
        ps->err = "invalid character class";
        return n;
      }
      for (int c = 1; c < 256; c++)
        if (re_classes[i].test(c)) re_set_bit(n, c);
      ps->p = end + 2;
      continue;
    }
    int lo = (unsigned char)*ps->p++;
    if (ps->p[0] == '-' && ps->p[1] && ps->p[1] != ']') {
      int hi = (unsigned char)ps->p[1];
      ps->p += 2;
      for (int c = lo; c <= hi; c++) re_set_bit(n, c);
    } else {
      re_set_bit(n, lo);
    }
  }
  ps->p++;
  if (ps->icase)
    for (int c = 0; c < 256; c++)
      if (re_has_bit(n, c)) re_set_bit(n, tolower(c)), re_set_bit(n, toupper(c));
  if (negate) {
    for (int i = 0; i < 32; i++) n->set[i] = (unsigned char)~n->set[i];
    n->set[0] &= (unsigned char)~1; /* never NUL */
  }
  return n;
}

static struct re_alt *re_parse_alts(struct re_parser *ps, int depth);

static int re_at_close(const struct re_parser *ps) {
  return ps->ere ? *ps->p == ')' : ps->p[0] == '\\' && ps->p[1] == ')';
}
static int re_at_bar(const struct re_parser *ps) {
  return ps->ere ? *ps->p == '|' : ps->p[0] == '\\' && ps->p[1] == '|';
}

/* Reads an interval body "m", "m,", "m,n" and the closing brace. */
static int re_interval(struct re_parser *ps, struct re_node *n) {
  int lo = 0, hi, digits = 0;
  while (isdigit((unsigned char)*ps->p)) lo = lo * 10 + (*ps->p++ - '0'), digits = 1;
  hi = lo;
  if (*ps->p == ',') {
    ps->p++;
    hi = -1;
    if (isdigit((unsigned char)*ps->p))
      for (hi = 0; isdigit((unsigned char)*ps->p);) hi = hi * 10 + (*ps->p++ - '0');
  }
  if (ps->ere ? *ps->p != '}' : !(ps->p[0] == '\\' && ps->p[1] == '}')) return 0;
  ps->p += ps->ere ? 1 : 2;
  if (!digits || (hi >= 0 && hi < lo)) return 0;
  n->min = lo;
  n->max = hi;
  return 1;
}

/* One atom at ps->p (not at the end, a bar or a close); NULL on error. */
static struct re_node *re_parse_atom(struct re_parser *ps, int first) {
  char c = *ps->p++;
  if (c == '\\') {
    char e = *ps->p++;
    if (!e) {
      ps->err = "trailing backslash (\\)";
      return NULL;
    }
    if (!ps->ere && e == '(') {
      struct re_node *g = re_new(RN_GROUP);
      g->group = ++ps->ngroups;
      g->alts = re_parse_alts(ps, 1);
      ps->p += 2;
      return g;
    }
    if (e >= '1' && e <= '9') {
      if (e - '0' > ps->ngroups) {
        ps->err = "Invalid back reference";
        return NULL;
      }
      struct re_node *b = re_new(RN_BACKREF);
      b->group = e - '0';
      return b;
    }
    switch (e) {
    case 'w': return re_class_node(re_is_word, 0);
    case 'W': return re_class_node(re_is_word, 1);
    case 's': return re_class_node(isspace, 0);
    case 'S': return re_class_node(isspace, 1);
    case 'b': return re_new(RN_WORDB);
    case 'B': return re_new(RN_NWORDB);
    case '<': return re_new(RN_BOW);
    case '>': return re_new(RN_EOW);
    case 'n': c = '\n'; break;
    case 't': c = '\t'; break;
    default: c = e; break;
    }
    struct re_node *n = re_new(RN_CHAR);
    n->c = (unsigned char)c;
    return n;
  }
  if (c == '[') return re_bracket(ps);
  if (c == '.') return re_new(RN_ANY);
  if (c == '^' && (ps->ere || first)) return re_new(RN_BOL);
  if (c == '$' && (ps->ere || !*ps->p || re_at_close(ps) || re_at_bar(ps))) return re_new(RN_EOL);
  if (ps->ere && c == '(') {
    struct re_node *g = re_new(RN_GROUP);
    g->group = ++ps->ngroups;
    g->alts = re_parse_alts(ps, 1);
    ps->p += 1;
    return g;
  }
  struct re_node *n = re_new(RN_CHAR);
  n->c = (unsigned char)c;
  return n;
}

/* A repetition operator after an atom: applied to n; 0 if there is none. */
static int re_repetition(struct re_parser *ps, struct re_node *n) {
  const char *p = ps->p;
  int min, max;
  if (*p == '*') min = 0, max = -1, ps->p++;
  else if (ps->ere ? *p == '+' : (p[0] == '\\' && p[1] == '+')) min = 1, max = -1, ps->p += ps->ere ? 1 : 2;
  else if (ps->ere ? *p == '?' : (p[0] == '\\' && p[1] == '?')) min = 0, max = 1, ps->p += ps->ere ? 1 : 2;
  else if (ps->ere ? *p == '{' : (p[0] == '\\' && p[1] == '{')) {
    ps->p += ps->ere ? 1 : 2;
    struct re_node tmp = *n;
    if (!re_interval(ps, &tmp)) {
      ps->err = "Invalid content of \\{\\}";
      return 0;
    }
    min = tmp.min, max = tmp.max;
  } else {
    return 0;
  }
  /* x** and x\{2\}* : nest the earlier repetition in a group of its own. */
  if (n->min != 1 || n->max != 1) {
    struct re_node *inner = re_new(n->type);
    *inner = *n;
    inner->next = NULL;
    struct re_alt *a = calloc(1, sizeof *a);
    if (!a) abort();
    a->first = inner;
    memset(n, 0, sizeof *n);
    n->type = RN_GROUP;
    n->group = -1;
    n->alts = a;
  }
  n->min = min;
  n->max = max;
  return 1;
}

static struct re_node *re_parse_seq(struct re_parser *ps, int depth) {
  struct re_node *head = NULL, **tail = &head, *last = NULL;
  int first = 1;
  while (*ps->p && !re_at_bar(ps) && !(depth > 0 && re_at_close(ps)) && !ps->err) {
    if (last && last->type != RN_BOL && re_repetition(ps, last)) continue;
    struct re_node *n;
    if (!last && *ps->p == '*' && !ps->ere) {
      n = re_new(RN_CHAR); /* a leading * is literal in a BRE */
      n->c = *ps->p++;
    } else if (depth == 0 && re_at_close(ps)) {
      if (!ps->ere) {
        ps->err = "Unmatched ) or \\)";
        return head;
      }
      n = re_new(RN_CHAR);
      n->c = *ps->p++;
    } else {
      n = re_parse_atom(ps, first);
      if (!n) return head;
    }
    *tail = n;
    tail = &n->next;
    last = n->type == RN_BOL && !ps->ere ? NULL : n;
    first = 0;
  }
  return head;
}

static struct re_alt *re_parse_alts(struct re_parser *ps, int depth) {
  struct re_alt *head = NULL, **tail = &head;
  for (;;) {
    struct re_alt *a = calloc(1, sizeof *a);
    if (!a) abort();
    a->first = re_parse_seq(ps, depth);
    *tail = a;
    tail = &a->next;
    if (ps->err || !re_at_bar(ps)) break;
    ps->p += ps->ere ? 1 : 2;
  }
  if (depth > 0 && !ps->err && !re_at_close(ps)) ps->err = "Unmatched ( or \\(";
  return head;
}

/* Compiles pat; 0 on success, else -1 with *err set. */
static int re_compile(struct re *re, const char *pat, int ere, int icase, const char **err) {
  struct re_parser ps = {pat, ere, icase, 0, NULL};
  struct re_node *root = re_new(RN_GROUP);
  root->group = 0;
  root->alts = re_parse_alts(&ps, 0);
  if (ps.err) {
    *err = ps.err;
    return -1;
  }
  re->root = root;
  re->ngroups = ps.ngroups;
  re->icase = icase;
  return 0;
}

/* ---- matching ---- */

struct re_match {
  const char *s;
  size_t n;
  int icase;
  long cap[2 * RE_NSUB]; /* start, end per group; -1 unset */
  size_t end;
};

struct re_cont {
  const struct re_node *group; /* the group whose iteration just ended */
  int count;                   /* iterations so far, this one included */
  size_t start;                /* where this iteration began */
  const struct re_cont *up;
};

static int re_step(struct re_match *m, const struct re_node *n, size_t i, const struct re_cont *k);

static int re_resume(struct re_match *m, size_t i, const struct re_cont *k);

static int re_group_iter(struct re_match *m, const struct re_node *g, int count, size_t i,
                         const struct re_cont *k) {
  if (g->max < 0 || count < g->max) {
    for (const struct re_alt *a = g->alts; a; a = a->next) {
      long saved = g->group >= 0 ? m->cap[2 * g->group] : 0;
      if (g->group >= 0) m->cap[2 * g->group] = (long)i;
      struct re_cont kk = {g, count + 1, i, k};
      if (re_step(m, a->first, i, &kk)) return 1;
      if (g->group >= 0) m->cap[2 * g->group] = saved;
    }
  }
  if (count >= g->min) return re_step(m, g->next, i, k);
  return 0;
}

static int re_resume(struct re_match *m, size_t i, const struct re_cont *k) {
  if (!k) {
    m->end = i;
    return 1;
  }
  const struct re_node *g = k->group;
  long saved = g->group >= 0 ? m->cap[2 * g->group + 1] : 0;
  if (g->group >= 0) m->cap[2 * g->group + 1] = (long)i;
  int ok;
  if (i == k->start && k->count > g->min) ok = re_step(m, g->next, i, k->up); /* empty: stop */
  else ok = re_group_iter(m, g, k->count, i, k->up);
  if (!ok && g->group >= 0) m->cap[2 * g->group + 1] = saved;
  return ok;
}

static int re_word_at(const struct re_match *m, size_t i) {
  return i < m->n && re_is_word((unsigned char)m->s[i]);
}

/* Does one single-character node match at i? (For RN_CHAR/ANY/SET.) */
static int re_one(const struct re_match *m, const struct re_node *n, size_t i) {
  if (i >= m->n) return 0;
  int c = (unsigned char)m->s[i];
  switch (n->type) {
  case RN_CHAR: return m->icase ? tolower(c) == tolower(n->c) : c == n->c;
  case RN_ANY: return 1;
  default: return re_has_bit(n, c);
  }
}

static int re_step(struct re_match *m, const struct re_node *n, size_t i, const struct re_cont *k) {
  if (!n) return re_resume(m, i, k);
  int before = i > 0 && re_word_at(m, i - 1), after = re_word_at(m, i);
  switch (n->type) {
  case RN_GROUP: return re_group_iter(m, n, 0, i, k);
  case RN_BOL: return i == 0 && re_step(m, n->next, i, k);
  case RN_EOL: return i == m->n && re_step(m, n->next, i, k);
  case RN_WORDB: return before != after && re_step(m, n->next, i, k);
  case RN_NWORDB: return before == after && re_step(m, n->next, i, k);
  case RN_BOW: return !before && after && re_step(m, n->next, i, k);
  case RN_EOW: return before && !after && re_step(m, n->next, i, k);
  case RN_BACKREF: {
    long s = m->cap[2 * n->group], e = m->cap[2 * n->group + 1];
    size_t len = s >= 0 && e >= s ? (size_t)(e - s) : 0;
    size_t pos[256];
    int count = 0;
    pos[0] = i;
    while ((n->max < 0 || count < n->max) && count < 255) {
      size_t at = pos[count];
      if (at + len > m->n || (len && memcmp(m->s + at, m->s + s, len) != 0)) break;
      pos[++count] = at + len;
      if (!len) break;
    }
    for (; count >= n->min; count--)
      if (re_step(m, n->next, pos[count], k)) return 1;
    return 0;
  }
  default: {
    size_t count = 0;
    while ((n->max < 0 || count < (size_t)n->max) && re_one(m, n, i + count)) count++;
    for (;; count--) {
      if ((long)count < n->min) return 0;
      if (re_step(m, n->next, i + count, k)) return 1;
      if (count == 0) return 0;
    }
  }
  }
}

/* Finds the first match in s[0..n) starting at or after `from`; fills
 * cap (2 * RE_NSUB entries: start, end; -1 for unset groups). 1 if found. */
static int re_exec(const struct re *re, const char *s, size_t n, size_t from, long *cap) {
  struct re_match m;
  m.s = s;
  m.n = n;
  m.icase = re->icase;
  for (size_t start = from; start <= n; start++) {
    for (int g = 0; g < 2 * RE_NSUB; g++) m.cap[g] = -1;
    if (re_group_iter(&m, re->root, 0, start, NULL)) {
      memcpy(cap, m.cap, sizeof m.cap);
      cap[0] = (long)start;
      cap[1] = (long)m.end;
      return 1;
    }
  }
  return 0;
}

#endif
