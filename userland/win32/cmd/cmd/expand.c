/* Variable expansion, done on each line (or parenthesised block) before it
 * is parsed: %NAME% (undefined: empty in a batch file, left as typed at the
 * prompt), %NAME:~start,len% and %NAME:old=new%, the dynamic %ERRORLEVEL%,
 * %CD% and %RANDOM%, and in batch files %0..%9, %~1 (quotes removed), %*,
 * %~f1 %~d1 %~p1 %~n1 %~x1 and their combinations (parts of the full path;
 * with 0, of the batch file's own path) and %% (a literal %). FOR variables
 * (%i, or %%i in a batch file, which the first pass turns into %i; also
 * %~nxi) are replaced when the body runs. */
#include "cmd.h"

static int dynamic_var(const char *name, char *out, size_t size) {
  if (ci_eq(name, "ERRORLEVEL")) {
    snprintf(out, size, "%d", g_errorlevel);
    return 1;
  }
  if (ci_eq(name, "CD")) return GetCurrentDirectoryA((DWORD)size, out) != 0;
  if (ci_eq(name, "RANDOM")) {
    static unsigned seed;
    if (!seed) seed = GetTickCount() | 1;
    seed = seed * 1103515245u + 12345u;
    snprintf(out, size, "%u", (seed >> 16) & 0x7fff);
    return 1;
  }
  if (ci_eq(name, "CMDEXTVERSION")) {
    snprintf(out, size, "2");
    return 1;
  }
  return 0;
}

/* Value of NAME into out; 1 if defined. */
static int get_var(const char *name, char *out, size_t size) {
  DWORD n = GetEnvironmentVariableA(name, out, (DWORD)size);
  if (n > 0 && n < size) return 1;
  return dynamic_var(name, out, size);
}

/* Applies ":~start,len" or ":old=new" to value (in place, up to size). */
static void modify(char *value, size_t size, const char *mod) {
  size_t len = strlen(value);
  if (mod[0] == '~') {
    char *end;
    long start = strtol(mod + 1, &end, 10), n = (long)len;
    if (start < 0) start += (long)len;
    if (start < 0) start = 0;
    if (start > (long)len) start = (long)len;
    if (*end == ',') {
      n = strtol(end + 1, NULL, 10);
      if (n < 0) n = (long)len - start + n;
    }
    if (n < 0) n = 0;
    if (start + n > (long)len) n = (long)len - start;
    memmove(value, value + start, (size_t)n);
    value[n] = 0;
    return;
  }
  const char *eq = strchr(mod, '=');
  if (!eq || eq == mod) return;
  size_t olen = (size_t)(eq - mod);
  const char *rep = eq + 1;
  char res[LINE_MAX_LEN];
  size_t o = 0;
  for (size_t i = 0; value[i] && o + strlen(rep) + 1 < sizeof res;) {
    if (_strnicmp(value + i, mod, olen) == 0) {
      o += (size_t)snprintf(res + o, sizeof res - o, "%s", rep);
      i += olen;
    } else {
      res[o++] = value[i++];
    }
  }
  res[o] = 0;
  snprintf(value, size, "%s", res);
}

/* %~[fdpnx]: the value without quotes, or the parts the modifiers name of
 * its full path (f: all of it; d: drive; p: folder with its final "\";
 * n: name; x: extension). */
static void apply_mods(const char *mods, size_t nmods, const char *value, char *out, size_t size) {
  char v[MAX_PATH * 2], full[MAX_PATH * 2];
  snprintf(v, sizeof v, "%s", value);
  unquote(v);
  if (!nmods || !*v || !GetFullPathNameA(v, sizeof full, full, NULL)) {
    snprintf(out, size, "%s", v);
    return;
  }
  const char *slash = strrchr(full, '\\');
  const char *name = slash ? slash + 1 : full;
  const char *dot = strrchr(name, '.');
  if (!dot) dot = name + strlen(name);
  size_t o = 0;
  out[0] = 0;
  int f = memchr(mods, 'f', nmods) != NULL;
  for (const char *m = "dpnx"; *m; m++) {
    if (!f && !memchr(mods, *m, nmods)) continue;
    const char *a = full, *b = full;
    if (*m == 'd') a = full, b = full + (full[1] == ':' ? 2 : 0);
    if (*m == 'p') a = full + (full[1] == ':' ? 2 : 0), b = name;
    if (*m == 'n') a = name, b = dot;
    if (*m == 'x') a = dot, b = dot + strlen(dot);
    o += (size_t)snprintf(out + o, size > o ? size - o : 0, "%.*s", (int)(b - a), a);
    if (o >= size) break;
  }
}

/* The length of a run of modifier letters at p. */
static size_t mod_letters(const char *p) {
  size_t n = 0;
  while (p[n] && strchr("fdpnx", p[n])) n++;
  return n;
}

static size_t put(char *out, size_t o, size_t size, const char *s) {
  while (*s && o + 1 < size) out[o++] = *s++;
  return o;
}

/* A batch argument reference at p (after '%'): %N, %*, %~N, %~dpnxN.
 * Returns the characters used, or 0. */
static size_t batch_ref(const char *p, char *val, size_t size) {
  int tilde = *p == '~';
  if (*p == '*') {
    batch_all_args(val, size);
    return 1;
  }
  size_t nmods = tilde ? mod_letters(p + 1) : 0;
  const char *q = p + tilde + nmods;
  if (*q < '0' || *q > '9') return 0;
  /* %~dp0 and the like name the batch file's own path, wherever it was found. */
  const char *arg = *q == '0' && nmods && g_batch ? g_batch->path : batch_arg(*q - '0');
  if (tilde) apply_mods(p + 1, nmods, arg, val, size);
  else snprintf(val, size, "%s", batch_arg(*q - '0'));
  return (size_t)(q - p) + 1;
}

void expand_vars(const char *in, char *out, size_t size) {
  size_t o = 0;
  char val[LINE_MAX_LEN];
  for (const char *p = in; *p && o + 1 < size;) {
    if (*p != '%') {
      out[o++] = *p++;
      continue;
    }
    if (g_batch && p[1] == '%') {
      out[o++] = '%';
      p += 2;
      continue;
    }
    size_t used;
    if (g_batch && (used = batch_ref(p + 1, val, sizeof val)) > 0) {
      o = put(out, o, size, val);
      p += 1 + used;
      continue;
    }
    const char *end = strchr(p + 1, '%');
    if (!end || end == p + 1) {
      if (!g_batch) out[o++] = '%';
      p++;
      continue;
    }
    char name[256];
    size_t n = (size_t)(end - p - 1);
    if (n >= sizeof name) n = sizeof name - 1;
    memcpy(name, p + 1, n);
    name[n] = 0;
    char *colon = strchr(name, ':');
    if (colon) *colon = 0;
    if (get_var(name, val, sizeof val)) {
      if (colon) modify(val, sizeof val, colon + 1);
      o = put(out, o, size, val);
      p = end + 1;
    } else if (g_batch) {
      p = end + 1;
    } else {
      out[o++] = '%';
      p++;
    }
  }
  out[o] = 0;
}

/* ---- FOR variables ---- */

static struct {
  char name;
  char value[MAX_PATH * 2];
} for_vars[16];
static int n_for_vars;

void push_for_var(char name, const char *value) {
  if (n_for_vars >= 16) return;
  for_vars[n_for_vars].name = name;
  snprintf(for_vars[n_for_vars].value, sizeof for_vars[0].value, "%s", value);
  n_for_vars++;
}

void pop_for_var(void) {
  if (n_for_vars > 0) n_for_vars--;
}

static const char *for_value(char name) {
  for (int i = n_for_vars - 1; i >= 0; i--)
    if (for_vars[i].name == name) return for_vars[i].value;
  return NULL;
}

/* %~[mods]X for an active FOR variable X at p; the characters used, or 0. */
static size_t for_mods(const char *p, char *val, size_t size) {
  if (p[0] != '%' || p[1] != '~') return 0;
  size_t n = mod_letters(p + 2);
  for (size_t k = n + 1; k-- > 0;) { /* the variable is the letter after k modifiers */
    const char *v = p[2 + k] ? for_value(p[2 + k]) : NULL;
    if (v) {
      apply_mods(p + 2, k, v, val, size);
      return 3 + k;
    }
  }
  return 0;
}

void subst_for_vars(const char *in, char *out, size_t size) {
  size_t o = 0;
  char tmp[MAX_PATH * 2];
  for (const char *p = in; *p && o + 1 < size;) {
    const char *v;
    size_t used;
    if (n_for_vars && (used = for_mods(p, tmp, sizeof tmp)) > 0) {
      o = put(out, o, size, tmp);
      p += used;
    } else if (n_for_vars && p[0] == '%' && p[1] && (v = for_value(p[1]))) {
      o = put(out, o, size, v);
      p += 2;
    } else {
      out[o++] = *p++;
    }
  }
  out[o] = 0;
}
