/* Built-ins that are not about files: echo, set (list, prefix, NAME=,
 * /a arithmetic, /p prompt), ver, cls, title, pause, exit, path, where,
 * rem, goto, call, shift; and the built-in table. */
#include "cmd.h"

int g_echo = 1;

int b_rem(const char *a) {
  (void)a;
  g_keep = 1;
  return 0;
}

int b_echo(const char *a) {
  g_keep = 1;
  const char *rest = skip_ws(a);
  if (!*rest && (!*a || a[0] == ' ' || a[0] == '\t')) {
    outf("ECHO is %s.\n", g_echo ? "on" : "off");
    return 0;
  }
  if (a[0] == ' ' || a[0] == '\t') {
    char word[8];
    snprintf(word, sizeof word, "%s", rest);
    rtrim(word);
    if (strlen(rest) < 8 && (ci_eq(word, "on") || ci_eq(word, "off"))) {
      g_echo = ci_eq(word, "on");
      return 0;
    }
  }
  out_write(g_out, a + 1, strlen(a + 1));
  out_write(g_out, "\n", 1);
  return 0;
}

static int cmp_env(const void *x, const void *y) {
  return _stricmp(*(char *const *)x, *(char *const *)y);
}

/* Prints NAME=value lines whose name starts with prefix (all if empty); the count. */
static int list_env(const char *prefix) {
  char *block = GetEnvironmentStringsA(), *lines[1024];
  int n = 0, shown = 0;
  for (char *p = block; p && *p && n < 1024; p += strlen(p) + 1)
    if (*p != '=') lines[n++] = p;
  qsort(lines, (size_t)n, sizeof lines[0], cmp_env);
  for (int i = 0; i < n; i++)
    if (ci_prefix(lines[i], prefix)) {
      outf("%s\n", lines[i]);
      shown++;
    }
  FreeEnvironmentStringsA(block);
  return shown;
}

/* ---- set /a ---- */
struct arith {
  const char *p;
  int err;
};
static long ar_assign(struct arith *a);

static void ar_ws(struct arith *a) {
  while (*a->p == ' ' || *a->p == '\t' || *a->p == '"') a->p++;
}

static long var_value(const char *name) {
  char v[64];
  DWORD n = GetEnvironmentVariableA(name, v, sizeof v);
  return n && n < sizeof v ? strtol(v, NULL, 0) : 0;
}

static int is_name_char(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static long ar_primary(struct arith *a) {
  ar_ws(a);
  char c = *a->p;
  if (c == '(') {
    a->p++;
    long v = ar_assign(a);
    ar_ws(a);
    if (*a->p == ')') a->p++;
    else a->err = 1;
    return v;
  }
  if (c == '-' || c == '+' || c == '!' || c == '~') {
    a->p++;
    long v = ar_primary(a);
    return c == '-' ? -v : c == '!' ? !v : c == '~' ? ~v : v;
  }
  if (c >= '0' && c <= '9') {
    char *end;
    long v = strtol(a->p, &end, 0);
    a->p = end;
    return v;
  }
  if (is_name_char((unsigned char)c)) {
    char name[128];
    size_t n = 0;
    while (is_name_char((unsigned char)*a->p) && n + 1 < sizeof name) name[n++] = *a->p++;
    name[n] = 0;
    return var_value(name);
  }
  a->err = 1;
  return 0;
}

static long ar_binary(struct arith *a, int level) {
  static const char *const ops[][3] = {
      {"|", 0, 0}, {"^", 0, 0}, {"&", 0, 0}, {"<<", ">>", 0}, {"+", "-", 0}, {"*", "/", "%"}};
  if (level == 6) return ar_primary(a);
  long v = ar_binary(a, level + 1);
  for (;;) {
    ar_ws(a);
    const char *op = NULL;
    for (int i = 0; i < 3 && ops[level][i]; i++) {
      size_t n = strlen(ops[level][i]);
      if (strncmp(a->p, ops[level][i], n) == 0 && a->p[n] != '=') op = ops[level][i];
    }
    if (!op) return v;
    a->p += strlen(op);
    long r = ar_binary(a, level + 1);
    switch (op[0]) {
    case '|': v |= r; break;
    case '^': v ^= r; break;
    case '&': v &= r; break;
    case '<': v <<= r; break;
    case '>': v >>= r; break;
    case '+': v += r; break;
    case '-': v -= r; break;
    case '*': v *= r; break;
    case '/':
    case '%':
      if (a->err) return 0;
      if (!r) {
        a->err = 2;
        return 0;
      }
      v = op[0] == '/' ? v / r : v % r;
      break;
    }
  }
}

static long ar_assign(struct arith *a) {
  ar_ws(a);
  const char *start = a->p;
  char name[128];
  size_t n = 0;
  while (is_name_char((unsigned char)*a->p) && n + 1 < sizeof name) name[n++] = *a->p++;
  name[n] = 0;
  ar_ws(a);
  char op = 0;
  if (n && !(name[0] >= '0' && name[0] <= '9')) {
    if (a->p[0] == '=' && a->p[1] != '=') op = '=';
    else if (a->p[0] && strchr("+-*/%&|^", a->p[0]) && a->p[1] == '=') op = *a->p++;
  }
  if (!op) {
    a->p = start;
    return ar_binary(a, 0);
  }
  a->p++;
  long r = ar_assign(a), v = var_value(name);
  switch (op) {
  case '=': v = r; break;
  case '+': v += r; break;
  case '-': v -= r; break;
  case '*': v *= r; break;
  case '&': v &= r; break;
  case '|': v |= r; break;
  case '^': v ^= r; break;
  default:
    if (!r) {
      if (!a->err) a->err = 2;
      return 0;
    }
    v = op == '/' ? v / r : v % r;
  }
  char buf[32];
  snprintf(buf, sizeof buf, "%ld", v);
  SetEnvironmentVariableA(name, buf);
  return v;
}

static int set_arith(const char *expr) {
  struct arith a = {expr, 0};
  long v = 0;
  for (;;) {
    v = ar_assign(&a);
    ar_ws(&a);
    if (a.err || *a.p != ',') break;
    a.p++;
  }
  ar_ws(&a);
  if (a.err == 2) {
    errf("Divide by zero error.\n");
    return 1073750993;
  }
  if (a.err || *a.p) {
    errf("Missing operand.\n");
    return 1073750990;
  }
  if (!g_batch) outf("%ld", v);
  return 0;
}

static int set_prompt(const char *arg) {
  char spec[LINE_MAX_LEN], line[1024];
  snprintf(spec, sizeof spec, "%s", arg);
  char *eq = strchr(spec, '=');
  if (!eq || eq == spec) {
    errf("The syntax of the command is incorrect.\n");
    return 1;
  }
  *eq = 0;
  outf("%s", eq + 1);
  DWORD got = 0, o = 0;
  char c;
  while (o + 1 < sizeof line && ReadFile(g_in, &c, 1, &got, NULL) && got == 1 && c != '\n')
    if (c != '\r') line[o++] = c;
  line[o] = 0;
  if (!o) return 1;
  SetEnvironmentVariableA(spec, line);
  return 0;
}

int b_set(const char *args) {
  char arg[LINE_MAX_LEN];
  snprintf(arg, sizeof arg, "%s", skip_ws(args));
  if (_strnicmp(arg, "/a", 2) == 0 && (!arg[2] || arg[2] == ' ')) return set_arith(arg + 2);
  if (_strnicmp(arg, "/p", 2) == 0 && (!arg[2] || arg[2] == ' ')) return set_prompt(skip_ws(arg + 2));
  char *value = arg;
  if (arg[0] == '"') {
    char *close = strrchr(arg + 1, '"');
    if (close) *close = 0;
    value = arg + 1;
  }
  char *eq = strchr(value, '=');
  if (!eq) {
    rtrim(value);
    if (!list_env(value)) {
      if (*value) errf("Environment variable %s not defined\n", value);
      return 1;
    }
    return 0;
  }
  if (eq == value) {
    errf("The syntax of the command is incorrect.\n");
    return 1;
  }
  *eq = 0;
  if (!SetEnvironmentVariableA(value, eq[1] ? eq + 1 : NULL) && eq[1]) return 1;
  return 0;
}

int b_ver(const char *a) {
  (void)a;
  outf("\nStrata Windows [Version 10.0.19045]\n");
  return 0;
}

int b_cls(const char *a) {
  CONSOLE_SCREEN_BUFFER_INFO info;
  (void)a;
  g_keep = 1;
  if (!GetConsoleScreenBufferInfo(g_out, &info)) {
    outf("\f");
    return 0;
  }
  COORD home = {0, 0};
  DWORD done;
  FillConsoleOutputCharacterA(g_out, ' ', (DWORD)info.dwSize.X * (DWORD)info.dwSize.Y, home, &done);
  SetConsoleCursorPosition(g_out, home);
  return 0;
}

int b_title(const char *a) {
  char t[1024];
  g_keep = 1;
  snprintf(t, sizeof t, "%s", skip_ws(a));
  rtrim(t);
  SetConsoleTitleA(t);
  return 0;
}

int b_pause(const char *a) {
  char c;
  DWORD got;
  (void)a;
  g_keep = 1;
  outf("Press any key to continue . . . ");
  if (ReadFile(g_in, &c, 1, &got, NULL) && got == 1 && c != '\n') {
    while (ReadFile(g_in, &c, 1, &got, NULL) && got == 1 && c != '\n') {
    }
  }
  outf("\n");
  return 0;
}

int b_exit(const char *a) {
  const char *p = skip_ws(a);
  int b = 0;
  if (_strnicmp(p, "/b", 2) == 0 && (!p[2] || p[2] == ' ')) {
    b = 1;
    p = skip_ws(p + 2);
  }
  if (*p) g_errorlevel = atoi(p);
  g_keep = 1;
  g_abort_line = 1;
  if (b && g_batch) g_batch->done = 1;
  else g_exit = 1;
  return g_errorlevel;
}

int b_path(const char *a) {
  char path[4096];
  const char *p = skip_ws(a);
  if (*a == '=' || *a == ';') p = a;
  if (!*p) {
    DWORD n = GetEnvironmentVariableA("PATH", path, sizeof path);
    if (n && n < sizeof path) outf("PATH=%s\n", path);
    else outf("No Path\n");
    return 0;
  }
  if (*p == '=') p++;
  snprintf(path, sizeof path, "%s", p);
  rtrim(path);
  return SetEnvironmentVariableA("PATH", strcmp(path, ";") == 0 ? NULL : path) ? 0 : 1;
}

/* where: the matches of each pattern in the current folder, then each PATH folder. */
static int where_in(const char *dir, const char *pattern) {
  char exts[512], full[MAX_PATH * 2], spec[MAX_PATH * 2], *suffix[16];
  int found = 0, n = 0;
  DWORD len = GetEnvironmentVariableA("PATHEXT", exts, sizeof exts);
  if (len == 0 || len >= sizeof exts) strcpy(exts, ".COM;.EXE;.BAT;.CMD");
  if (strchr(pattern, '.')) suffix[n++] = "";
  for (char *e = strtok(exts, ";"); e && n < 16; e = strtok(NULL, ";")) suffix[n++] = e;
  for (int i = 0; i < n; i++) {
    WIN32_FIND_DATAA fd;
    snprintf(spec, sizeof spec, "%s\\%s%s", dir, pattern, suffix[i]);
    HANDLE h = FindFirstFileA(spec, &fd);
    if (h == INVALID_HANDLE_VALUE) continue;
    do {
      if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) continue;
      snprintf(spec, sizeof spec, "%s\\%s", dir, fd.cFileName);
      if (GetFullPathNameA(spec, sizeof full, full, NULL)) {
        outf("%s\n", full);
        found++;
      }
    } while (FindNextFileA(h, &fd));
    FindClose(h);
  }
  return found;
}

int b_where(const char *a) {
  char store[LINE_MAX_LEN], *words[32], path[4096];
  int n = split_words(a, words, 32, store), missing = 0;
  if (!n) {
    errf("ERROR: A search pattern must be specified.\n");
    return 2;
  }
  for (int i = 0; i < n; i++) {
    unquote(words[i]);
    int found = where_in(".", words[i]);
    DWORD len = GetEnvironmentVariableA("PATH", path, sizeof path);
    if (len && len < sizeof path)
      for (char *d = path, *next; d; d = next) {
        next = strchr(d, ';');
        if (next) *next++ = 0;
        if (*d) found += where_in(d, words[i]);
      }
    if (!found) missing = 1;
  }
  if (missing) errf("INFO: Could not find files for the given pattern(s).\n");
  return missing;
}

int b_goto(const char *a) {
  g_keep = 1;
  return goto_label(a);
}

int b_call(const char *a) {
  const char *p = skip_ws(a);
  if (*p == ':') {
    const char *rest = p;
    while (*rest && !is_ws((unsigned char)*rest)) rest++;
    return call_label(p, rest);
  }
  char name[MAX_PATH], image[MAX_PATH];
  size_t n = 0;
  const char *q = p;
  while (*q && !is_ws((unsigned char)*q) && n + 1 < sizeof name) name[n++] = *q++;
  name[n] = 0;
  unquote(name);
  if (find_program(name, image, sizeof image)) {
    size_t len = strlen(image);
    if (len > 4 && (ci_eq(image + len - 4, ".bat") || ci_eq(image + len - 4, ".cmd")))
      return run_batch(name, image, q, 1);
  }
  /* The command is expanded a second time ("call echo %%X%%" in a batch file). */
  return run_line(p);
}

static const struct {
  const char *name;
  builtin_fn fn;
} builtins[] = {
    {"echo", b_echo},   {"set", b_set},     {"ver", b_ver},     {"cls", b_cls},
    {"title", b_title}, {"pause", b_pause}, {"exit", b_exit},   {"path", b_path},
    {"where", b_where}, {"rem", b_rem},     {"goto", b_goto},   {"call", b_call},
    {"shift", b_shift}, {"dir", b_dir},     {"cd", b_cd},       {"chdir", b_cd},
    {"type", b_type},   {"copy", b_copy},   {"del", b_del},     {"erase", b_del},
    {"md", b_md},       {"mkdir", b_md},    {"rd", b_rd},       {"rmdir", b_rd},
    {"ren", b_ren},     {"rename", b_ren},  {"move", b_move},
    {"setlocal", b_setlocal}, {"endlocal", b_endlocal}, {"pushd", b_pushd}, {"popd", b_popd},
};

builtin_fn find_builtin(const char *name) {
  for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
    if (ci_eq(name, builtins[i].name)) return builtins[i].fn;
  return NULL;
}
