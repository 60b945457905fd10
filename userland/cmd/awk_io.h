/* awk records, fields and streams (included once by awk.c).
 *
 *   set_record()/split_record()  $0 and the fields $1..$NF (FS rules: " "
 *                                splits on blank runs, one other character
 *                                literally, longer strings as an ERE)
 *   set_field()/set_nf()         rebuild $0 with OFS
 *   awk_split()                  the splitter shared with split()
 *   read_record()                one record (RS newline, one character, or ""
 *                                for paragraphs) from a reader
 *   out_stream()/in_stream()     files and pipes by name, for > >> | and getline
 *   format()                     printf/sprintf */
#ifndef STRATA_AWK_IO_H
#define STRATA_AWK_IO_H

#include "awk_parse.h"

static struct var *v_NF, *v_NR, *v_FNR, *v_FS, *v_OFS, *v_ORS, *v_RS, *v_SUBSEP, *v_RSTART,
    *v_RLENGTH, *v_FILENAME, *v_CONVFMT, *v_OFMT, *v_ENVIRON, *v_ARGC, *v_ARGV;

static struct val *fields; /* fields[0] is $0 */
static int nf, fcap;

/* ---- regular expressions (a small cache for dynamic ones) ---- */

static struct re *compile_re(const char *pat, int line) {
  struct re *re = xmalloc(sizeof *re);
  const char *err = NULL;
  if (re_compile(re, pat, 1, 0, &err) < 0) {
    fprintf(stderr, "awk: line %d: regular expression /%s/: %s\n", line, pat, err);
    exit(2);
  }
  return re;
}

#define RE_CACHE 16
static struct {
  char *pat;
  struct re *re;
} re_cache[RE_CACHE];
static int re_cache_next;

static struct re *dynamic_re(const char *pat) {
  for (int i = 0; i < RE_CACHE; i++)
    if (re_cache[i].pat && strcmp(re_cache[i].pat, pat) == 0) return re_cache[i].re;
  struct re *re = compile_re(pat, 0);
  int i = re_cache_next++ % RE_CACHE;
  free(re_cache[i].pat); /* the old tree is leaked: re.h has no free */
  re_cache[i].pat = xstrdup(pat);
  re_cache[i].re = re;
  return re;
}

/* ---- splitting ---- */

typedef void (*split_sink)(void *ctx, int i, const char *s, size_t n);

/* Splits s by the field separator fs, calling sink for piece 1..n; returns n. */
static int awk_split(const char *s, const char *fs, int force_re, split_sink sink, void *ctx) {
  int n = 0;
  size_t len = strlen(s);
  if (!force_re && strcmp(fs, " ") == 0) {
    const char *p = s;
    for (;;) {
      while (*p == ' ' || *p == '\t' || *p == '\n') p++;
      if (!*p) return n;
      const char *b = p;
      while (*p && *p != ' ' && *p != '\t' && *p != '\n') p++;
      sink(ctx, ++n, b, (size_t)(p - b));
    }
  }
  if (!len) return 0;
  if (!*fs && !force_re) {
    for (size_t i = 0; i < len; i++) sink(ctx, ++n, s + i, 1);
    return n;
  }
  if (!force_re && fs[1] == 0 && fs[0] != '\\') {
    const char *p = s;
    for (;;) {
      const char *e = strchr(p, fs[0]);
      if (!e) {
        sink(ctx, ++n, p, strlen(p));
        return n;
      }
      sink(ctx, ++n, p, (size_t)(e - p));
      p = e + 1;
    }
  }
  struct re *re = dynamic_re(fs);
  long cap[2 * RE_NSUB];
  size_t pos = 0;
  while (pos <= len && re_exec(re, s, len, pos, cap) && cap[1] > cap[0]) {
    sink(ctx, ++n, s + pos, (size_t)cap[0] - pos);
    pos = (size_t)cap[1];
  }
  sink(ctx, ++n, s + pos, len - pos);
  return n;
}

static void grow_fields(int n) {
  if (n < fcap) return;
  int cap = fcap ? fcap : 32;
  while (cap <= n) cap *= 2;
  struct val *nf2 = xmalloc((size_t)cap * sizeof *nf2);
  if (fcap) memcpy(nf2, fields, (size_t)fcap * sizeof *nf2);
  for (int i = fcap; i < cap; i++) nf2[i] = uninit_val();
  free(fields);
  fields = nf2;
  fcap = cap;
}

static void field_sink(void *ctx, int i, const char *s, size_t n) {
  (void)ctx;
  grow_fields(i);
  val_free(&fields[i]);
  fields[i] = input_val(xstrndup(s, n));
}

static void set_nf_var(int n) {
  val_free(&v_NF->v);
  v_NF->v = num_val(n);
}

static void split_record(void) {
  for (int i = 1; i <= nf; i++) {
    val_free(&fields[i]);
    fields[i] = uninit_val();
  }
  nf = awk_split(val_str(&fields[0]), val_str(&v_FS->v), 0, field_sink, NULL);
  set_nf_var(nf);
}

/* Takes ownership of s. */
static void set_record(char *s) {
  grow_fields(1);
  val_free(&fields[0]);
  fields[0] = input_val(s);
  split_record();
}

static void rebuild_record(void) {
  const char *ofs = val_str(&v_OFS->v);
  size_t len = 1, olen = strlen(ofs);
  for (int i = 1; i <= nf; i++) len += strlen(val_str(&fields[i])) + olen;
  char *buf = xmalloc(len), *p = buf;
  for (int i = 1; i <= nf; i++) {
    if (i > 1) p = memcpy(p, ofs, olen), p += olen;
    const char *f = val_str(&fields[i]);
    size_t n = strlen(f);
    memcpy(p, f, n);
    p += n;
  }
  *p = 0;
  val_free(&fields[0]);
  fields[0] = input_val(buf);
}

static void set_nf(int n) {
  if (n < 0) n = 0;
  grow_fields(n);
  for (int i = n + 1; i <= nf; i++) {
    val_free(&fields[i]);
    fields[i] = uninit_val();
  }
  nf = n;
  set_nf_var(n);
  rebuild_record();
}

/* Assigns $i (takes ownership of v). */
static void set_field(int i, struct val v) {
  if (i < 0) fatal("trying to access out of range field %s", "");
  if (i == 0) {
    set_record(xstrdup(val_str(&v)));
    val_free(&v);
    return;
  }
  grow_fields(i);
  val_free(&fields[i]);
  fields[i] = v;
  if (i > nf) {
    nf = i;
    set_nf_var(nf);
  }
  rebuild_record();
}

/* ---- input ---- */

struct reader {
  FILE *f;
  int eof;
};

/* Reads one record into a fresh string; NULL at end of input. */
static char *read_record(struct reader *r) {
  const char *rs = val_str(&v_RS->v);
  int sep = rs[0] ? (unsigned char)rs[0] : '\n', para = !rs[0];
  size_t cap = 128, n = 0;
  char *buf = xmalloc(cap);
  int c;
  if (r->eof) {
    free(buf);
    return NULL;
  }
  if (para)
    while ((c = getc(r->f)) == '\n') {
    }
  else c = getc(r->f);
  for (; c != EOF; c = getc(r->f)) {
    if (c == sep) {
      if (!para) break;
      int d = getc(r->f);
      if (d == '\n' || d == EOF) {
        while (d == '\n') d = getc(r->f);
        if (d != EOF) ungetc(d, r->f);
        break;
      }
      ungetc(d, r->f);
    }
    if (n + 2 >= cap) {
      char *nb = xmalloc(cap *= 2);
      memcpy(nb, buf, n);
      free(buf);
      buf = nb;
    }
    buf[n++] = (char)c;
  }
  if (c == EOF) {
    r->eof = 1;
    if (n == 0) {
      free(buf);
      return NULL;
    }
  }
  buf[n] = 0;
  return buf;
}

/* ---- named streams ---- */

enum { ST_OUT, ST_APPEND, ST_POUT, ST_IN, ST_PIN };

struct stream {
  char *name;
  int kind;
  FILE *f;
  struct reader r;
  struct stream *next;
};

static struct stream *streams;

static void flush_all(void) {
  fflush(stdout);
  for (struct stream *s = streams; s; s = s->next)
    if (s->kind <= ST_POUT) fflush(s->f);
}

static struct stream *find_stream(const char *name, int kind) {
  for (struct stream *s = streams; s; s = s->next)
    if (strcmp(s->name, name) == 0 && (s->kind >= ST_IN) == (kind >= ST_IN)) return s;
  return NULL;
}

static struct stream *open_stream(const char *name, int kind) {
  struct stream *s = find_stream(name, kind);
  if (s) return s;
  FILE *f;
  if (kind <= ST_POUT && strcmp(name, "/dev/stdout") == 0) f = stdout;
  else if (kind <= ST_POUT && strcmp(name, "/dev/stderr") == 0) f = stderr;
  else if (kind == ST_IN && (strcmp(name, "-") == 0 || strcmp(name, "/dev/stdin") == 0)) f = stdin;
  else {
    if (kind == ST_POUT || kind == ST_PIN) flush_all();
    f = kind == ST_OUT      ? fopen(name, "w")
        : kind == ST_APPEND ? fopen(name, "a")
        : kind == ST_POUT   ? popen(name, "w")
        : kind == ST_PIN    ? popen(name, "r")
                            : fopen(name, "r");
  }
  if (!f) return NULL;
  s = xmalloc(sizeof *s);
  memset(s, 0, sizeof *s);
  s->name = xstrdup(name);
  s->kind = kind;
  s->f = f;
  s->r.f = f;
  s->next = streams;
  streams = s;
  return s;
}

static int close_one(struct stream *s) {
  int rc = 0;
  if (s->f == stdout || s->f == stderr || s->f == stdin) fflush(s->f);
  else if (s->kind == ST_POUT || s->kind == ST_PIN) {
    int st = pclose(s->f);
    rc = st >= 0 && (st & 0x7f) == 0 ? (st >> 8) & 0xff : st;
  } else rc = fclose(s->f);
  free(s->name);
  free(s);
  return rc;
}

/* close(name): -1 when no stream has that name. */
static int close_stream(const char *name) {
  int rc = -1;
  for (struct stream **pp = &streams; *pp;) {
    struct stream *s = *pp;
    if (strcmp(s->name, name) == 0) {
      *pp = s->next;
      rc = close_one(s);
    } else pp = &s->next;
  }
  return rc;
}

/* At exit: files and pipes first (a pipe's reader may still write to the
 * terminal), standard output last, as mawk does. */
static void close_all(void) {
  while (streams) {
    struct stream *s = streams;
    streams = s->next;
    close_one(s);
  }
  fflush(stdout);
}

#endif
