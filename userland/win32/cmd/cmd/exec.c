/* Running a parsed command tree. Built-ins run inside cmd with the standard
 * handles swapped for their redirections; external programs are found in
 * the current folder, then in each PATH folder, trying the name as typed
 * (when it has an extension) and then each PATHEXT extension; .bat/.cmd
 * files run in this cmd (batch.c). A pipeline starts every element at once,
 * joined by pipes: external programs directly, anything else in a child
 * "cmd /d /c" (as Windows does). The exit code of the last element is the
 * errorlevel. Handles a child gets are duplicated inheritable just for its
 * CreateProcess, so no child holds another's pipe end open. */
#include "cmd.h"

int g_abort_line;
int g_keep;

struct stdh {
  HANDLE h[3];
  HANDLE opened[3];
};

static void close_stdh(struct stdh *s) {
  for (int i = 0; i < 3; i++)
    if (s->opened[i]) CloseHandle(s->opened[i]);
}

/* Applies `r` on top of s->h; prints cmd's message and returns 0 on failure. */
static int open_redirs(struct redir *r, struct stdh *s) {
  for (; r; r = r->next) {
    if (r->dupfd >= 0) {
      s->h[r->fd] = s->h[r->dupfd];
      continue;
    }
    char target[MAX_PATH * 2];
    subst_for_vars(r->target, target, sizeof target);
    HANDLE h;
    if (ci_eq(target, "nul")) {
      h = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                      NULL, OPEN_EXISTING, 0, NULL);
    } else if (r->fd == 0) {
      h = CreateFileA(target, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                      OPEN_EXISTING, 0, NULL);
    } else {
      h = CreateFileA(target, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                      r->append ? OPEN_ALWAYS : CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
      if (h != INVALID_HANDLE_VALUE && r->append) SetFilePointer(h, 0, NULL, FILE_END);
    }
    if (h == INVALID_HANDLE_VALUE) {
      DWORD e = GetLastError();
      close_stdh(s);
      memset(s->opened, 0, sizeof s->opened);
      print_win32_error(e == ERROR_PATH_NOT_FOUND && r->fd == 0 ? ERROR_FILE_NOT_FOUND : e);
      return 0;
    }
    if (s->opened[r->fd]) {
      int used = 0;
      for (int i = 0; i < 3; i++)
        if (i != r->fd && s->h[i] == s->opened[r->fd]) used = 1;
      if (!used) CloseHandle(s->opened[r->fd]);
    }
    s->h[r->fd] = h;
    s->opened[r->fd] = h;
  }
  return 1;
}

static int has_ext(const char *name) {
  const char *base = name;
  for (const char *p = name; *p; p++)
    if (*p == '\\' || *p == '/' || *p == ':') base = p + 1;
  return strchr(base, '.') != NULL;
}

static int is_file(const char *path) {
  DWORD a = GetFileAttributesA(path);
  return a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_DIRECTORY);
}

/* Tries dir\name, with and without each PATHEXT extension. */
static int try_in(const char *dir, const char *name, char *out, size_t size) {
  char exts[512], path[MAX_PATH * 2];
  DWORD n = GetEnvironmentVariableA("PATHEXT", exts, sizeof exts);
  if (n == 0 || n >= sizeof exts) strcpy(exts, ".COM;.EXE;.BAT;.CMD");
  const char *sep = (!*dir || dir[strlen(dir) - 1] == '\\' || dir[strlen(dir) - 1] == '/') ? "" : "\\";
  if (has_ext(name)) {
    snprintf(path, sizeof path, "%s%s%s", dir, sep, name);
    if (is_file(path)) return GetFullPathNameA(path, (DWORD)size, out, NULL) != 0;
  }
  for (char *e = strtok(exts, ";"); e; e = strtok(NULL, ";")) {
    snprintf(path, sizeof path, "%s%s%s%s", dir, sep, name, e);
    if (is_file(path)) return GetFullPathNameA(path, (DWORD)size, out, NULL) != 0;
  }
  return 0;
}

int find_program(const char *name, char *out, size_t size) {
  if (strpbrk(name, "\\/:")) return try_in("", name, out, size);
  if (try_in(".", name, out, size)) return 1;
  char path[4096];
  DWORD n = GetEnvironmentVariableA("PATH", path, sizeof path);
  if (n == 0 || n >= sizeof path) return 0;
  for (char *d = path, *next; d; d = next) {
    next = strchr(d, ';');
    if (next) *next++ = 0;
    unquote(d);
    if (*d && try_in(d, name, out, size)) return 1;
  }
  return 0;
}

static int is_batch(const char *path) {
  size_t n = strlen(path);
  return n > 4 && (ci_eq(path + n - 4, ".bat") || ci_eq(path + n - 4, ".cmd"));
}

/* Starts `image` with `cmdline` on the three handles; returns the process or NULL. */
static HANDLE spawn(const char *image, const char *cmdline, HANDLE h[3]) {
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  HANDLE dup[3] = {0, 0, 0}, self = GetCurrentProcess();
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  for (int i = 0; i < 3; i++)
    if (h[i] && h[i] != INVALID_HANDLE_VALUE)
      DuplicateHandle(self, h[i], self, &dup[i], 0, TRUE, DUPLICATE_SAME_ACCESS);
  si.hStdInput = dup[0];
  si.hStdOutput = dup[1];
  si.hStdError = dup[2];
  char *line = xstrdup(cmdline);
  BOOL ok = CreateProcessA(image, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
  DWORD e = GetLastError();
  free(line);
  for (int i = 0; i < 3; i++)
    if (dup[i]) CloseHandle(dup[i]);
  if (!ok) {
    SetLastError(e);
    return NULL;
  }
  CloseHandle(pi.hThread);
  return pi.hProcess;
}

static int wait_exit(HANDLE p) {
  DWORD code = 1;
  WaitForSingleObject(p, INFINITE);
  GetExitCodeProcess(p, &code);
  CloseHandle(p);
  return (int)code;
}

/* The first word of text (quotes removed) into name; returns the rest. */
static const char *command_name(const char *text, char *name, size_t size) {
  const char *p = skip_ws(text);
  size_t o = 0;
  int q = 0;
  for (; *p && (q || (!is_ws((unsigned char)*p) && *p != '(')); p++) {
    if (*p == '"') q = !q;
    else if (o + 1 < size) name[o++] = *p;
  }
  name[o] = 0;
  return p;
}

/* A built-in named at the start of `word` ("echo." or "cd.." too): its length, or 0. */
static size_t builtin_prefix(const char *word, builtin_fn *fn) {
  static const char *const delims = ".\\/(+=,;:[";
  char name[16];
  size_t n = 0;
  while (n < sizeof name - 1 && word[n] && !strchr(delims, word[n]) && !is_ws((unsigned char)word[n]))
    name[n] = word[n], n++;
  name[n] = 0;
  if (word[n] && !strchr(delims, word[n]) && !is_ws((unsigned char)word[n])) return 0;
  *fn = find_builtin(name);
  return *fn ? n : 0;
}

static void not_recognized(const char *name) {
  errf("'%s' is not recognized as an internal or external command,\noperable program or batch file.\n",
       name);
}

static int run_external(const char *text, HANDLE h[3]) {
  char name[MAX_PATH], image[MAX_PATH];
  const char *rest = command_name(text, name, sizeof name);
  if (!find_program(name, image, sizeof image)) {
    not_recognized(name);
    return 9009;
  }
  if (is_batch(image)) {
    HANDLE save[3] = {g_in, g_out, g_err};
    g_in = h[0], g_out = h[1], g_err = h[2];
    int rc = run_batch(name, image, rest, 0);
    g_in = save[0], g_out = save[1], g_err = save[2];
    return rc;
  }
  char *line = xstrdup(skip_ws(text));
  rtrim(line);
  HANDLE p = spawn(image, line, h);
  free(line);
  if (!p) {
    DWORD e = GetLastError();
    if (e == ERROR_BAD_EXE_FORMAT) errf("This version of %s is not compatible with the version of Windows you're running.\n", name);
    else print_win32_error(e);
    return e == ERROR_BAD_EXE_FORMAT ? 216 : 9009;
  }
  return wait_exit(p);
}

/* Runs one simple command's text with handles h (built-in or external). */
static int run_simple_text(const char *text, HANDLE h[3]) {
  const char *p = skip_ws(text);
  if (!*p) return g_errorlevel;
  builtin_fn fn;
  size_t n = builtin_prefix(p, &fn);
  if (n) {
    HANDLE save[3] = {g_in, g_out, g_err};
    g_keep = 0;
    g_in = h[0], g_out = h[1], g_err = h[2];
    int r = fn(p + n);
    g_in = save[0], g_out = save[1], g_err = save[2];
    return r;
  }
  if (p[0] && p[1] == ':' && (!p[2] || is_ws((unsigned char)p[2]))) {
    char d[3] = {p[0], ':', 0};
    if (!SetCurrentDirectoryA(d)) {
      errf("The system cannot find the drive specified.\n");
      return 1;
    }
    return 0;
  }
  if (p[0] == ':') return 0; /* a label */
  return run_external(p, h);
}

int run_text(const char *text, struct redir *r) {
  struct stdh s = {{g_in, g_out, g_err}, {0, 0, 0}};
  if (!open_redirs(r, &s)) return 1;
  char buf[LINE_MAX_LEN];
  subst_for_vars(text, buf, sizeof buf);
  int rc = run_simple_text(buf, s.h);
  close_stdh(&s);
  return rc;
}

static int pipe_elements(struct node *n, struct node **out, int max) {
  if (n->kind != N_PIPE) {
    out[0] = n;
    return 1;
  }
  int k = pipe_elements(n->left, out, max);
  if (k < max) out[k++] = n->right;
  return k;
}

/* Starts one pipeline element on h; returns its process (NULL: failed, *rc set). */
static HANDLE start_element(struct node *e, HANDLE h[3], int *rc) {
  char text[LINE_MAX_LEN], name[MAX_PATH], image[MAX_PATH];
  struct stdh s = {{h[0], h[1], h[2]}, {0, 0, 0}};
  builtin_fn fn;
  HANDLE p = NULL;
  *rc = 1;
  if (e->kind == N_SIMPLE) {
    subst_for_vars(e->text, text, sizeof text);
    const char *first = skip_ws(text);
    command_name(first, name, sizeof name);
    if (!builtin_prefix(first, &fn) && find_program(name, image, sizeof image) && !is_batch(image)) {
      if (!open_redirs(e->redirs, &s)) return NULL;
      rtrim(text);
      p = spawn(image, first, s.h);
      if (!p) print_win32_error(GetLastError());
      close_stdh(&s);
      return p;
    }
    if (!*name) return NULL;
    if (!builtin_prefix(first, &fn) && !find_program(name, image, sizeof image)) {
      not_recognized(name);
      *rc = 9009;
      return NULL;
    }
  }
  char src[LINE_MAX_LEN], line[LINE_MAX_LEN + MAX_PATH + 16];
  subst_for_vars(e->src, src, sizeof src);
  snprintf(line, sizeof line, "\"%s\" /d /c %s", g_self, src);
  p = spawn(g_self, line, h);
  if (!p) print_win32_error(GetLastError());
  return p;
}

static int run_pipeline(struct node *n) {
  struct node *el[32];
  HANDLE procs[32];
  int count = pipe_elements(n, el, 32), rc = 0;
  HANDLE in = g_in, rd = NULL, wr = NULL;
  for (int i = 0; i < count; i++) {
    HANDLE h[3] = {in, g_out, g_err};
    if (i + 1 < count) {
      if (!CreatePipe(&rd, &wr, NULL, 0)) {
        print_win32_error(GetLastError());
        count = i;
        break;
      }
      h[1] = wr;
    }
    procs[i] = start_element(el[i], h, &rc);
    if (in != g_in) CloseHandle(in);
    if (i + 1 < count) {
      CloseHandle(wr);
      in = rd;
    }
  }
  if (in != g_in) CloseHandle(in);
  for (int i = 0; i < count; i++) {
    if (procs[i]) rc = wait_exit(procs[i]);
    else if (i == count - 1) rc = rc ? rc : 1;
  }
  return rc;
}

int run_node(struct node *n) {
  int rc = g_errorlevel;
  if (!n || g_exit || g_abort_line) return rc;
  switch (n->kind) {
  case N_SIMPLE:
    g_keep = 0;
    rc = run_text(n->text, n->redirs);
    if (g_keep) return rc;
    break;
  case N_BLOCK: {
    struct stdh s = {{g_in, g_out, g_err}, {0, 0, 0}};
    if (!open_redirs(n->redirs, &s)) return g_errorlevel = 1;
    HANDLE save[3] = {g_in, g_out, g_err};
    g_in = s.h[0], g_out = s.h[1], g_err = s.h[2];
    rc = run_node(n->left);
    g_in = save[0], g_out = save[1], g_err = save[2];
    close_stdh(&s);
    return rc;
  }
  case N_SEQ:
    run_node(n->left);
    return run_node(n->right);
  case N_AND:
    rc = run_node(n->left);
    return rc == 0 ? run_node(n->right) : rc;
  case N_OR:
    rc = run_node(n->left);
    return rc != 0 ? run_node(n->right) : rc;
  case N_PIPE: rc = run_pipeline(n); break;
  case N_IF: return run_if(n);
  case N_FOR: return run_for(n);
  }
  g_errorlevel = rc;
  return rc;
}

/* Expands, parses and runs one line (or a block of lines). */
int run_line(const char *line) {
  char expanded[LINE_MAX_LEN];
  const char *err;
  if (strlen(line) >= LINE_MAX_LEN - 1) {
    errf("The input line is too long.\n");
    return g_errorlevel = 1;
  }
  expand_vars(line, expanded, sizeof expanded);
  struct node *n = parse_line(expanded, &err);
  if (!n) {
    if (err) errf("%s\n", err);
    g_errorlevel = 255;
    return 255;
  }
  g_abort_line = 0;
  int rc = run_node(n);
  g_abort_line = 0;
  free_node(n);
  return rc;
}
