/* Batch files (.bat, .cmd): the file is read whole and run line by line.
 * A line whose parentheses are still open continues on the next lines (the
 * block is expanded and parsed as one). Lines starting with ":" are labels;
 * "goto label" searches forward from the current line, then from the top;
 * "goto :eof" and "exit /b" end the current file (or "call :label" frame).
 * Running another batch file without "call" ends the current one. With
 * echo on, each line is shown after the prompt before it runs, unless it
 * starts with "@". */
#include "cmd.h"

struct batch *g_batch;

static char *read_file(const char *path) {
  HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  if (h == INVALID_HANDLE_VALUE) return NULL;
  DWORD size = GetFileSize(h, NULL), got = 0;
  char *text = xmalloc(size + 1);
  if (!ReadFile(h, text, size, &got, NULL)) got = 0;
  text[got] = 0;
  CloseHandle(h);
  return text;
}

/* The next physical line of b into line (without the line break); 0 at the end. */
static int next_line(struct batch *b, char *line, size_t size) {
  if (!b->text[b->pos]) return 0;
  size_t o = 0;
  while (b->text[b->pos] && b->text[b->pos] != '\n') {
    char c = b->text[b->pos++];
    if (c != '\r' && o + 1 < size) line[o++] = c;
  }
  if (b->text[b->pos] == '\n') b->pos++;
  line[o] = 0;
  return 1;
}

/* Open-parenthesis balance of a line (quotes and ^ respected). */
int paren_balance(const char *s) {
  int depth = 0, q = 0;
  const char *t = skip_ws(s);
  if (_strnicmp(t, "rem", 3) == 0 && (!t[3] || t[3] == ' ')) return 0;
  for (; *s; s++) {
    if (*s == '"') q = !q;
    else if (!q && *s == '^' && s[1]) s++;
    else if (!q && *s == '(') depth++;
    else if (!q && *s == ')' && depth > 0) depth--;
  }
  return depth;
}

/* Nested batch files and call :label frames; each holds stack (1 MiB in all). */
#define MAX_BATCH_DEPTH 32

static int depth_of(const struct batch *b) {
  int n = 0;
  for (; b; b = b->prev) n++;
  return n;
}

/* Too deep: Windows' message, and every batch file being run stops. */
static int too_deep(void) {
  if (depth_of(g_batch) < MAX_BATCH_DEPTH) return 0;
  errf("****** B A T C H   R E C U R S I O N  exceeds STACK limits ******\n"
       "******       B A T C H   PROCESSING IS   A B O R T E D      ******\n");
  for (struct batch *b = g_batch; b; b = b->prev) b->done = 1;
  g_abort_line = 1;
  return 1;
}

/* After a Ctrl+C: "Terminate batch job (Y/N)? "; Y stops every batch file being run. */
static void ask_terminate(void) {
  char c = 0, d;
  DWORD got;
  g_ctrl_c = 0;
  for (;;) {
    outf("Terminate batch job (Y/N)? ");
    if (!ReadFile(g_in, &c, 1, &got, NULL) || got != 1) c = 'y';
    d = c;
    while (d != '\n' && ReadFile(g_in, &d, 1, &got, NULL) && got == 1) {
    }
    if (c == 'y' || c == 'Y' || c == 'n' || c == 'N') break;
  }
  if (c == 'y' || c == 'Y') {
    for (struct batch *f = g_batch; f; f = f->prev) f->done = 1;
    g_abort_line = 1;
  }
}

static void run_frame(struct batch *b) {
  static char line[LINE_MAX_LEN], more[LINE_MAX_LEN];
  struct batch *saved = g_batch;
  g_batch = b;
  while (!b->done && !g_exit && next_line(b, line, sizeof line)) {
    const char *t = skip_ws(line);
    if (*t == ':' || !*t) continue;
    while (paren_balance(line) > 0 && next_line(b, more, sizeof more)) {
      size_t n = strlen(line);
      if (n + strlen(more) + 2 >= sizeof line) break;
      line[n] = '\n';
      strcpy(line + n + 1, more);
    }
    if (g_echo && *t != '@') {
      char prompt[MAX_PATH * 2], expanded[LINE_MAX_LEN];
      prompt_string(prompt, sizeof prompt);
      expand_vars(t, expanded, sizeof expanded);
      outf("\n%s%s\n", prompt, expanded);
    }
    run_line(t);
    if (g_ctrl_c) ask_terminate();
  }
  end_locals_of(b);
  g_batch = saved;
}

static struct batch *new_frame(const char *zero, const char *path, char *text, const char *args) {
  struct batch *b = xmalloc(sizeof *b);
  memset(b, 0, sizeof *b);
  b->path = xstrdup(path);
  b->text = text;
  char *store = xmalloc(strlen(args) + 1), *words[31];
  int n = split_words(args, words, 31, store);
  b->args[0] = xstrdup(zero);
  for (int i = 0; i < n; i++) b->args[i + 1] = xstrdup(words[i]);
  b->nargs = n + 1;
  b->all = xstrdup(skip_ws(args));
  free(store);
  return b;
}

static void free_frame(struct batch *b, int text) {
  for (int i = 0; i < b->nargs; i++) free(b->args[i]);
  free(b->path);
  free(b->all);
  if (text) free(b->text);
  free(b);
}

int run_batch(const char *typed, const char *path, const char *args, int is_call) {
  if (too_deep()) return 255;
  char *text = read_file(path);
  if (!text) {
    print_win32_error(GetLastError());
    return 1;
  }
  if (g_batch && !is_call) g_batch->done = 1;
  struct batch *b = new_frame(typed, path, text, args);
  b->prev = g_batch;
  run_frame(b);
  free_frame(b, 1);
  return g_errorlevel;
}

/* Moves b's position after the line ":label"; 0 if there is none. */
static int seek_label(struct batch *b, const char *label) {
  size_t len = strlen(label);
  for (int pass = 0; pass < 2; pass++) {
    size_t pos = pass ? 0 : b->pos;
    while (b->text[pos]) {
      const char *l = skip_ws(b->text + pos);
      if (*l == ':' && _strnicmp(l + 1, label, len) == 0 &&
          (!l[1 + len] || strchr(" \t\r\n+:", l[1 + len]))) {
        while (b->text[pos] && b->text[pos] != '\n') pos++;
        b->pos = b->text[pos] ? pos + 1 : pos;
        return 1;
      }
      while (b->text[pos] && b->text[pos] != '\n') pos++;
      if (b->text[pos]) pos++;
    }
  }
  return 0;
}

static void label_of(const char *args, char *out, size_t size) {
  const char *p = skip_ws(args);
  if (*p == ':') p++;
  size_t o = 0;
  while (*p && !is_ws((unsigned char)*p) && o + 1 < size) out[o++] = *p++;
  out[o] = 0;
}

int goto_label(const char *args) {
  char label[128];
  label_of(args, label, sizeof label);
  g_abort_line = 1;
  if (!g_batch) return 0;
  if (ci_eq(label, "eof")) {
    g_batch->done = 1;
    return 0;
  }
  if (!*label || !seek_label(g_batch, label)) {
    errf("The system cannot find the batch label specified - %s\n", label);
    g_batch->done = 1;
    return 1;
  }
  return 0;
}

int call_label(const char *label_args, const char *rest) {
  char label[128], zero[130];
  if (!g_batch) {
    errf("Invalid attempt to call batch label outside of batch script.\n");
    return 1;
  }
  if (too_deep()) return 255;
  label_of(label_args, label, sizeof label);
  snprintf(zero, sizeof zero, ":%s", label);
  struct batch *b = new_frame(zero, g_batch->path, g_batch->text, rest);
  b->call_label = 1;
  b->prev = g_batch;
  if (!seek_label(b, label)) {
    errf("The system cannot find the batch label specified - %s\n", label);
    free_frame(b, 0);
    return 1;
  }
  run_frame(b);
  free_frame(b, 0);
  return g_errorlevel;
}

const char *batch_arg(int n) {
  if (!g_batch || n + g_batch->shift >= g_batch->nargs) return "";
  return g_batch->args[n + g_batch->shift];
}

void batch_all_args(char *out, size_t size) {
  snprintf(out, size, "%s", g_batch ? g_batch->all : "");
}

int b_shift(const char *args) {
  (void)args;
  g_keep = 1;
  if (g_batch && g_batch->shift + 1 < g_batch->nargs + 1) g_batch->shift++;
  return 0;
}
