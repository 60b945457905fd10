/* awk values, variables and associative arrays (included once by awk.c).
 *
 *   struct buf    a growing string
 *   struct val    a number, a string, a "strnum" (input text that looks like a
 *                 number: compares numerically) or uninitialised (both "" and 0)
 *   val_num()     value as a double;  val_str() value as a string (CONVFMT)
 *   struct arr    hash table of string keys, iterated in insertion order
 *   struct var    a global or local: untyped, scalar or array; a local that
 *                 stands for a caller's array argument points at it (ref) */
#ifndef STRATA_AWK_VALUE_H
#define STRATA_AWK_VALUE_H

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { V_NUM = 1, V_STR = 2, V_STRNUM = 4, V_UNINIT = 8 };

struct val {
  int fl;
  double n;
  char *s; /* owned; valid when fl has V_STR/V_STRNUM, else a cached conversion or NULL */
};

static void fatal(const char *fmt, const char *a);

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) fatal("out of memory%s", "");
  return p;
}

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(xmalloc(n), s, n);
}

static char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

/* A growing string. */
struct buf {
  char *s;
  size_t n, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + n + 1) cap *= 2;
    char *ns = xmalloc(cap);
    if (b->n) memcpy(ns, b->s, b->n);
    free(b->s);
    b->s = ns;
    b->cap = cap;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = 0;
}

static char *buf_take(struct buf *b) {
  if (!b->s) return xstrdup("");
  return b->s;
}

static const char *convfmt = "%.6g";

static void val_free(struct val *v) {
  free(v->s);
  v->s = NULL;
}

static struct val num_val(double d) { return (struct val){V_NUM, d, NULL}; }
static struct val str_val(char *owned) { return (struct val){V_STR, 0, owned}; }
static struct val uninit_val(void) { return (struct val){V_UNINIT, 0, NULL}; }

/* Length of the longest numeric prefix of s (after blanks), 0 if none. */
static size_t num_prefix(const char *s) {
  const char *p = s;
  while (*p == ' ' || *p == '\t' || *p == '\n') p++;
  if (*p == '+' || *p == '-') p++;
  const char *d = p;
  while (isdigit((unsigned char)*p)) p++;
  if (*p == '.') p++;
  while (isdigit((unsigned char)*p)) p++;
  if (p == d || (p == d + 1 && *d == '.')) return 0;
  if (*p == 'e' || *p == 'E') {
    const char *e = p + 1;
    if (*e == '+' || *e == '-') e++;
    if (isdigit((unsigned char)*e)) {
      while (isdigit((unsigned char)*e)) e++;
      p = e;
    }
  }
  return (size_t)(p - s);
}

static double str_num(const char *s) {
  size_t n = num_prefix(s);
  if (!n) return 0;
  char buf[128];
  if (n >= sizeof buf) return strtod(s, NULL);
  memcpy(buf, s, n);
  buf[n] = 0;
  return strtod(buf, NULL);
}

/* Does the whole of s (blanks aside) read as a number? */
static int looks_numeric(const char *s) {
  size_t n = num_prefix(s);
  if (!n) return 0;
  for (s += n; *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\n') return 0;
  return 1;
}

/* A value made from input text: a strnum when it looks numeric. */
static struct val input_val(char *owned) {
  struct val v = str_val(owned);
  if (looks_numeric(owned)) {
    v.fl = V_STRNUM;
    v.n = str_num(owned);
  }
  return v;
}

static double val_num(const struct val *v) {
  if (v->fl & (V_NUM | V_STRNUM)) return v->n;
  if (v->fl & V_UNINIT) return 0;
  return str_num(v->s);
}

static void num_to_str(double d, const char *fmt, char *buf, size_t size) {
  if (fabs(d) < 1e16 && d == (double)(long long)d) snprintf(buf, size, "%lld", (long long)d);
  else if (isnan(d)) snprintf(buf, size, "%snan", signbit(d) ? "-" : "");
  else if (isinf(d)) snprintf(buf, size, "%sinf", d < 0 ? "-" : "");
  else snprintf(buf, size, fmt, d);
}

/* The string form of v; stays valid while v is unchanged. */
static const char *val_str(struct val *v) {
  if (v->fl & (V_STR | V_STRNUM)) return v->s;
  if (v->fl & V_UNINIT) return "";
  if (!v->s) {
    char buf[64];
    num_to_str(v->n, convfmt, buf, sizeof buf);
    v->s = xstrdup(buf);
  }
  return v->s;
}

static struct val val_copy(const struct val *v) {
  struct val c = *v;
  if (c.fl & V_NUM) c.s = NULL;
  else if (c.s) c.s = xstrdup(c.s);
  return c;
}

static int val_true(struct val *v) {
  if (v->fl & V_NUM) return v->n != 0;
  if (v->fl & V_STRNUM) return v->n != 0;
  if (v->fl & V_UNINIT) return 0;
  return v->s[0] != 0;
}

/* ---- associative arrays ---- */

struct elem {
  char *key;
  struct val v;
  struct elem *chain, *prev, *next;
};

struct arr {
  struct elem **tab, *first, *last;
  size_t size, count;
};

static unsigned hash_str(const char *s) {
  unsigned h = 2166136261u;
  while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
  return h;
}

static struct arr *arr_new(void) {
  struct arr *a = xmalloc(sizeof *a);
  memset(a, 0, sizeof *a);
  a->size = 64;
  a->tab = xmalloc(a->size * sizeof *a->tab);
  memset(a->tab, 0, a->size * sizeof *a->tab);
  return a;
}

static struct elem *arr_find(struct arr *a, const char *key) {
  for (struct elem *e = a->tab[hash_str(key) & (a->size - 1)]; e; e = e->chain)
    if (strcmp(e->key, key) == 0) return e;
  return NULL;
}

static void arr_grow(struct arr *a) {
  size_t size = a->size * 2;
  struct elem **tab = xmalloc(size * sizeof *tab);
  memset(tab, 0, size * sizeof *tab);
  for (struct elem *e = a->first; e; e = e->next) {
    unsigned h = hash_str(e->key) & (size - 1);
    e->chain = tab[h];
    tab[h] = e;
  }
  free(a->tab);
  a->tab = tab;
  a->size = size;
}

/* The element for key, created (uninitialised) when missing. */
static struct val *arr_get(struct arr *a, const char *key) {
  struct elem *e = arr_find(a, key);
  if (e) return &e->v;
  if (a->count * 2 >= a->size) arr_grow(a);
  e = xmalloc(sizeof *e);
  e->key = xstrdup(key);
  e->v = uninit_val();
  unsigned h = hash_str(key) & (a->size - 1);
  e->chain = a->tab[h];
  a->tab[h] = e;
  e->prev = a->last;
  e->next = NULL;
  if (a->last) a->last->next = e;
  else a->first = e;
  a->last = e;
  a->count++;
  return &e->v;
}

static void arr_delete(struct arr *a, const char *key) {
  struct elem **pp = &a->tab[hash_str(key) & (a->size - 1)];
  for (; *pp; pp = &(*pp)->chain) {
    struct elem *e = *pp;
    if (strcmp(e->key, key) != 0) continue;
    *pp = e->chain;
    if (e->prev) e->prev->next = e->next;
    else a->first = e->next;
    if (e->next) e->next->prev = e->prev;
    else a->last = e->prev;
    a->count--;
    free(e->key);
    val_free(&e->v);
    free(e);
    return;
  }
}

static void arr_clear(struct arr *a) {
  while (a->first) arr_delete(a, a->first->key);
}

/* ---- variables ---- */

enum { T_UNTYPED, T_SCALAR, T_ARRAY };

struct var {
  int type;
  struct val v;
  struct arr *a;
  struct var *ref; /* a local standing for a caller's variable */
};

#endif
