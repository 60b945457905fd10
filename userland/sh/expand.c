/* Strata sh: word expansion (parameters, tilde, quote removal, field
 * splitting, pathname globbing). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

/* One expansion in progress: the field being built (with a mask saying which
 * bytes may act as glob characters) and the finished fields. */
struct exp {
  char *buf, *mask;
  size_t len, cap;
  int started; /* the field exists even if empty ("" or '') */
  int split;   /* field splitting and globbing enabled */
  char **fields;
  int n, fcap;
  int failed;
};

static void put(struct exp *e, char c, int active) {
  if (e->len + 2 > e->cap) {
    size_t cap = e->cap ? e->cap * 2 : 128;
    char *nb = arena_alloc(cap), *nm = arena_alloc(cap);
    if (e->len) {
      memcpy(nb, e->buf, e->len);
      memcpy(nm, e->mask, e->len);
    }
    e->buf = nb;
    e->mask = nm;
    e->cap = cap;
  }
  e->mask[e->len] = (char)active;
  e->buf[e->len++] = c;
  e->buf[e->len] = 0;
  e->started = 1;
}

static void add_field(struct exp *e, char *s) {
  if (e->n + 1 >= e->fcap) {
    int cap = e->fcap ? e->fcap * 2 : 8;
    char **nf = arena_alloc((size_t)cap * sizeof(char *));
    if (e->n) memcpy(nf, e->fields, (size_t)e->n * sizeof(char *));
    e->fields = nf;
    e->fcap = cap;
  }
  e->fields[e->n++] = s;
  e->fields[e->n] = NULL;
}

/* ---- globbing ---- */

/* fnmatch-style match of name against pat; mask marks pattern bytes that are
 * unquoted and therefore special. */
static int match(const char *pat, const char *mask, size_t plen, const char *name) {
  size_t pi = 0;
  while (pi < plen) {
    char c = pat[pi];
    if (mask[pi] && c == '*') {
      while (pi < plen && mask[pi] && pat[pi] == '*') pi++;
      if (pi == plen) return 1;
      for (const char *s = name; *s; s++)
        if (match(pat + pi, mask + pi, plen - pi, s)) return 1;
      return 0;
    }
    if (!*name) return 0;
    if (mask[pi] && c == '?') {
      pi++;
      name++;
      continue;
    }
    if (mask[pi] && c == '[') {
      size_t j = pi + 1;
      int negate = 0, ok = 0;
      if (j < plen && (pat[j] == '!' || pat[j] == '^')) negate = 1, j++;
      size_t first = j;
      while (j < plen && (pat[j] != ']' || j == first)) {
        if (j + 2 < plen && pat[j + 1] == '-' && pat[j + 2] != ']') {
          if ((unsigned char)*name >= (unsigned char)pat[j] &&
              (unsigned char)*name <= (unsigned char)pat[j + 2])
            ok = 1;
          j += 3;
        } else {
          if (*name == pat[j]) ok = 1;
          j++;
        }
      }
      if (j < plen) { /* a closed bracket expression */
        if (ok == negate) return 0;
        pi = j + 1;
        name++;
        continue;
      }
      /* No closing ]: the [ is literal. */
    }
    if (c != *name) return 0;
    pi++;
    name++;
  }
  return *name == 0;
}

static int has_glob(const char *s, const char *mask, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!mask[i]) continue;
    if (s[i] == '*' || s[i] == '?') return 1;
    if (s[i] == '[') {
      /* Only a closed bracket expression is a pattern: `[` alone (the test
       * command) must not make the shell read the directory. */
      size_t j = i + 1;
      if (j < n && (s[j] == '!' || s[j] == '^')) j++;
      if (j < n && s[j] == ']') j++;
      while (j < n && s[j] != ']' && s[j] != '/') j++;
      if (j < n && s[j] == ']') return 1;
    }
  }
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expands pattern components from pi on, below directory prefix; returns matches added. */
static int glob_from(struct exp *e, const char *prefix, const char *pat, const char *mask,
                     size_t pi, size_t plen) {
  while (pi < plen && pat[pi] == '/') pi++;
  if (pi >= plen) {
    add_field(e, arena_strdup(prefix));
    return 1;
  }
  size_t end = pi;
  while (end < plen && pat[end] != '/') end++;
  int last = end >= plen;
  if (!has_glob(pat + pi, mask + pi, end - pi)) {
    size_t pl = strlen(prefix);
    char *next = arena_alloc(pl + (end - pi) + 2);
    memcpy(next, prefix, pl);
    memcpy(next + pl, pat + pi, end - pi);
    next[pl + (end - pi)] = 0;
    if (!last) strcat(next, "/");
    else if (access(next, F_OK) != 0) return 0;
    return glob_from(e, next, pat, mask, end, plen);
  }
  DIR *d = opendir(*prefix ? prefix : ".");
  if (!d) return 0;
  int cap = 16, n = 0;
  char **names = malloc((size_t)cap * sizeof(char *));
  struct dirent *de;
  while (names && (de = readdir(d)) != NULL) {
    /* Leading dots match only an explicit dot, as in every shell. */
    if (de->d_name[0] == '.' && pat[pi] != '.') continue;
    if (!match(pat + pi, mask + pi, end - pi, de->d_name)) continue;
    if (n == cap) {
      char **nn = realloc(names, (size_t)cap * 2 * sizeof(char *));
      if (!nn) break;
      names = nn;
      cap *= 2;
    }
    names[n++] = arena_concat3(prefix, de->d_name, last ? "" : "/");
  }
  closedir(d);
  if (!names) return 0;
  qsort(names, (size_t)n, sizeof(char *), cmp_str);
  int added = 0;
  for (int i = 0; i < n; i++) {
    if (last) {
      add_field(e, names[i]);
      added++;
    } else {
      added += glob_from(e, names[i], pat, mask, end, plen);
    }
  }
  free(names);
  return added;
}

static void end_field(struct exp *e) {
  if (!e->started) return;
  int globbed = 0;
  if (e->split && has_glob(e->buf, e->mask, e->len)) {
    const char *root = e->buf[0] == '/' ? "/" : "";
    globbed = glob_from(e, root, e->buf, e->mask, 0, e->len);
  }
  if (!globbed) add_field(e, arena_strndup(e->buf, e->len));
  e->len = 0;
  e->started = 0;
}

/* ---- parameters ---- */

/* Field splitting as POSIX describes it: IFS white space (space, tab,
 * newline when in IFS) separates and is trimmed; every other IFS character
 * ends a field, with the white space around it (two in a row give an empty
 * field); an empty IFS splits nothing. */
static void emit_value(struct exp *e, const char *v, int quoted) {
  if (quoted || !e->split) {
    e->started = 1;
    for (; *v; v++) put(e, *v, 0);
    return;
  }
  const char *ifs = ifs_chars();
  enum { START, TEXT, WHITE, DELIM } state = e->started ? TEXT : START;
  for (; *v; v++) {
    char c = *v;
    if (!strchr(ifs, c)) {
      put(e, c, 1);
      state = TEXT;
    } else if (ifs_is_white(c)) {
      if (state == TEXT) {
        end_field(e);
        state = WHITE;
      }
    } else {
      if (state == TEXT) {
        end_field(e);
      } else if (state != WHITE) {
        e->started = 1; /* nothing since the last separator: an empty field */
        end_field(e);
      }
      state = DELIM;
    }
  }
}

/* Value of a special or named parameter; NULL when unset. */
static const char *param_value(const char *name, size_t n, char *tmp) {
  if (n == 1) {
    switch (name[0]) {
    case '?': num_to_str(sh.last_status, tmp); return tmp;
    case '$': num_to_str(sh.shell_pid, tmp); return tmp;
    case '!':
      if (!sh.last_bg_pid) return NULL;
      num_to_str(sh.last_bg_pid, tmp);
      return tmp;
    case '#': num_to_str(sh.nparams, tmp); return tmp;
    case '0': return sh.arg0;
    default: break;
    }
  }
  if (name[0] >= '0' && name[0] <= '9') {
    long k = 0;
    for (size_t i = 0; i < n; i++) {
      if (name[i] < '0' || name[i] > '9') return NULL;
      k = k * 10 + (name[i] - '0');
      if (k > 100000) return NULL;
    }
    return k >= 1 && k <= sh.nparams ? sh.params[k - 1] : NULL;
  }
  char *nm = arena_strndup(name, n);
  return var_get(nm);
}

static void expand_part(struct exp *e, const char *s, size_t n, int in_dq);

/* Index just past the ) or ` that closes a substitution whose body starts at
 * s[0] (the lexer already checked that it is closed). */
static size_t subst_end(const char *s, size_t n, int backquote) {
  int depth = 1;
  size_t i = 0;
  while (i < n) {
    char c = s[i++];
    if (c == '\\') {
      i++;
      continue;
    }
    if (backquote) {
      if (c == '`') return i;
      continue;
    }
    if (c == '\'' || c == '"') {
      while (i < n && s[i] != c) i += (c == '"' && s[i] == '\\') ? 2 : 1;
      i++;
      continue;
    }
    if (c == '(') depth++;
    if (c == ')' && --depth == 0) return i;
  }
  return n;
}

/* Runs body as a command list in a child and emits its output, trailing
 * newlines removed (split into fields unless quoted). */
static void emit_subst(struct exp *e, const char *body, size_t n, int backquote, int quoted) {
  char *text;
  if (backquote) {
    /* Inside `...`, backslash quotes only $ ` and itself. */
    text = arena_alloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
      if (body[i] == '\\' && i + 1 < n &&
          (body[i + 1] == '$' || body[i + 1] == '`' || body[i + 1] == '\\'))
        i++;
      text[k++] = body[i];
    }
    text[k] = 0;
  } else {
    text = arena_strndup(body, n);
  }
  char *out = command_output(text);
  if (!out) {
    e->failed = 1;
    return;
  }
  size_t len = strlen(out);
  while (len > 0 && out[len - 1] == '\n') out[--len] = 0;
  emit_value(e, out, quoted);
}

static void emit_params(struct exp *e, char which, int quoted) {
  for (int k = 0; k < sh.nparams; k++) {
    if (k > 0) {
      if (quoted && which == '@') {
        end_field(e);
        e->started = 1;
      } else if (quoted) {
        /* "$*" joins with the first character of IFS (nothing if IFS is empty). */
        char sep = ifs_chars()[0];
        if (sep) put(e, sep, 0);
      } else {
        end_field(e);
      }
    }
    emit_value(e, sh.params[k], quoted);
  }
}

/* Handles ${...} whose inner text is s[0..n). */
static void expand_braced(struct exp *e, const char *s, size_t n, int in_dq) {
  char tmp[24];
  if (n > 1 && s[0] == '#') { /* ${#name}: length */
    const char *v = param_value(s + 1, n - 1, tmp);
    num_to_str(v ? (long)strlen(v) : 0, tmp);
    emit_value(e, tmp, in_dq);
    return;
  }
  size_t i = 0;
  if (n > 0 && (s[0] == '?' || s[0] == '$' || s[0] == '!' || s[0] == '#' || s[0] == '@' ||
                s[0] == '*')) {
    i = 1;
  } else {
    while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                     (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
      i++;
  }
  if (i == 0) {
    sh_error(arena_strndup(s, n), "bad substitution");
    e->failed = 1;
    return;
  }
  if (i == 1 && (s[0] == '@' || s[0] == '*') && i == n) {
    emit_params(e, s[0], in_dq);
    return;
  }
  const char *v = param_value(s, i, tmp);
  if (i == n) {
    if (v) emit_value(e, v, in_dq);
    return;
  }
  int colon = s[i] == ':';
  size_t op = i + (size_t)colon;
  if (op >= n) {
    sh_error(arena_strndup(s, n), "bad substitution");
    e->failed = 1;
    return;
  }
  char o = s[op];
  const char *word = s + op + 1;
  size_t wlen = n - op - 1;
  int unset = !v || (colon && !*v);
  switch (o) {
  case '-':
    if (unset) expand_part(e, word, wlen, in_dq);
    else emit_value(e, v, in_dq);
    return;
  case '+':
    if (!unset) expand_part(e, word, wlen, in_dq);
    return;
  case '=':
    if (unset) {
      if (!var_name_valid(s, i)) {
        sh_error(arena_strndup(s, i), "cannot assign in this way");
        e->failed = 1;
        return;
      }
      char *val = expand_single(arena_strndup(word, wlen));
      if (!val) {
        e->failed = 1;
        return;
      }
      var_set(arena_strndup(s, i), val, 0);
      emit_value(e, val, in_dq);
    } else {
      emit_value(e, v, in_dq);
    }
    return;
  case '?':
    if (unset) {
      char *msg = wlen ? expand_single(arena_strndup(word, wlen)) : NULL;
      sh_error(arena_strndup(s, i), msg ? msg : "parameter not set");
      e->failed = 1;
    } else {
      emit_value(e, v, in_dq);
    }
    return;
  default:
    sh_error(arena_strndup(s, n), "bad substitution");
    e->failed = 1;
  }
}

/* Expands $... starting at s[0] == '$'; returns bytes consumed. */
static size_t expand_dollar(struct exp *e, const char *s, size_t n, int in_dq) {
  char tmp[24];
  if (n < 2) {
    put(e, '$', 0);
    return 1;
  }
  char c = s[1];
  if (c == '(') {
    size_t end = 2 + subst_end(s + 2, n - 2, 0);
    if (n > 2 && s[2] == '(' && end >= 5 && s[end - 2] == ')') {
      /* $((expr)): expand the inside like a double-quoted word, then evaluate. */
      char *inner = expand_single(arena_strndup(s + 3, end - 5));
      long v;
      if (!inner || arith_eval(inner, &v) < 0) {
        e->failed = 1;
        return end;
      }
      char tmp[24];
      num_to_str(v, tmp);
      emit_value(e, tmp, in_dq);
      return end;
    }
    emit_subst(e, s + 2, end - 3, 0, in_dq);
    return end;
  }
  if (c == '{') {
    size_t j = 2;
    while (j < n && s[j] != '}') j++;
    expand_braced(e, s + 2, j - 2, in_dq);
    return j < n ? j + 1 : j;
  }
  if (c == '@' || c == '*') {
    emit_params(e, c, in_dq);
    return 2;
  }
  if (c == '?' || c == '$' || c == '!' || c == '#' || (c >= '0' && c <= '9')) {
    const char *v = param_value(s + 1, 1, tmp);
    if (v) emit_value(e, v, in_dq);
    return 2;
  }
  size_t j = 1;
  while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
                   (s[j] >= '0' && s[j] <= '9') || s[j] == '_'))
    j++;
  if (j == 1 || (s[1] >= '0' && s[1] <= '9')) {
    put(e, '$', 0);
    return 1;
  }
  const char *v = param_value(s + 1, j - 1, tmp);
  if (v) emit_value(e, v, in_dq);
  return j;
}

static void expand_part(struct exp *e, const char *s, size_t n, int in_dq) {
  size_t i = 0;
  while (i < n && !e->failed) {
    char c = s[i];
    if (c == '\'' && !in_dq) {
      e->started = 1;
      i++;
      while (i < n && s[i] != '\'') put(e, s[i++], 0);
      i++;
    } else if (c == '"' && !in_dq) {
      size_t j = i + 1;
      while (j < n && s[j] != '"') {
        /* A substitution inside the quotes may contain quotes of its own. */
        if (s[j] == '$' && j + 1 < n && s[j + 1] == '(') j += 2 + subst_end(s + j + 2, n - j - 2, 0);
        else if (s[j] == '`') j += 1 + subst_end(s + j + 1, n - j - 1, 1);
        else j += (s[j] == '\\' && j + 1 < n) ? 2 : 1;
      }
      /* "$@" with no parameters makes no field at all. */
      if (!(j - i - 1 == 2 && s[i + 1] == '$' && s[i + 2] == '@' && sh.nparams == 0))
        e->started = 1;
      expand_part(e, s + i + 1, j - i - 1, 1);
      i = j + 1;
    } else if (c == '\\') {
      if (i + 1 >= n) {
        put(e, '\\', 0);
        i++;
      } else if (!in_dq) {
        put(e, s[i + 1], 0);
        i += 2;
      } else {
        char d = s[i + 1];
        if (d != '$' && d != '`' && d != '"' && d != '\\') put(e, '\\', 0);
        put(e, d, 0);
        i += 2;
      }
    } else if (c == '$') {
      i += expand_dollar(e, s + i, n - i, in_dq);
    } else if (c == '`') {
      size_t end = i + 1 + subst_end(s + i + 1, n - i - 1, 1);
      emit_subst(e, s + i + 1, end - i - 2, 1, in_dq);
      i = end;
    } else {
      put(e, c, !in_dq);
      i++;
    }
  }
}

int expand_word(const char *raw, char ***fields, int *nfields) {
  struct exp e;
  memset(&e, 0, sizeof(e));
  e.split = 1;
  size_t n = strlen(raw);
  size_t i = 0;
  /* Leading ~ or ~/ is $HOME. */
  if (raw[0] == '~' && (raw[1] == 0 || raw[1] == '/')) {
    const char *home = var_get("HOME");
    if (home) {
      emit_value(&e, home, 1);
      i = 1;
    }
  }
  expand_part(&e, raw + i, n - i, 0);
  end_field(&e);
  if (e.failed) return -1;
  *fields = e.fields;
  *nfields = e.n;
  return 0;
}

char *expand_single(const char *raw) {
  struct exp e;
  memset(&e, 0, sizeof(e));
  size_t i = 0;
  if (raw[0] == '~' && (raw[1] == 0 || raw[1] == '/')) {
    const char *home = var_get("HOME");
    if (home) {
      emit_value(&e, home, 1);
      i = 1;
    }
  }
  expand_part(&e, raw + i, strlen(raw) - i, 0);
  if (e.failed) return NULL;
  return e.len ? arena_strndup(e.buf, e.len) : arena_strdup("");
}

int case_pattern_match(const char *raw, const char *subject) {
  struct exp e;
  memset(&e, 0, sizeof(e));
  expand_part(&e, raw, strlen(raw), 0);
  if (e.failed) return -1;
  return match(e.buf ? e.buf : "", e.mask ? e.mask : "", e.len, subject);
}

char *expand_heredoc(const char *body) {
  /* Like the inside of double quotes, except that " stays as it is. */
  struct exp e;
  memset(&e, 0, sizeof(e));
  const char *s = body;
  size_t n = strlen(body), i = 0;
  while (i < n && !e.failed) {
    size_t j = i;
    while (j < n && s[j] != '"') j++;
    expand_part(&e, s + i, j - i, 1);
    if (j < n) put(&e, '"', 0);
    i = j + 1;
  }
  if (e.failed) return NULL;
  return e.len ? arena_strndup(e.buf, e.len) : arena_strdup("");
}
