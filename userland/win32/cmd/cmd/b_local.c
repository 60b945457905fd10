/* setlocal / endlocal and pushd / popd. setlocal (in a batch file; it does
 * nothing at the prompt) saves the environment and the current folder;
 * endlocal, or the end of the batch file or "call :label" that ran the
 * setlocal, puts them back. The options of setlocal (enableextensions,
 * enabledelayedexpansion...) are accepted; delayed expansion is not built.
 * pushd saves the current folder and changes to another; popd returns. */
#include "cmd.h"

#define MAX_LOCALS 32
#define MAX_PUSHD 32

static struct {
  char *env;   /* a copy of the environment block */
  char *cwd;
  struct batch *owner;
} locals[MAX_LOCALS];
static int n_locals;
static char *pushed[MAX_PUSHD];
static int n_pushed;

static char *copy_block(const char *block) {
  size_t n = 0;
  while (block[n] || block[n + 1]) n++;
  char *c = xmalloc(n + 2);
  memcpy(c, block, n + 2);
  return c;
}

/* Replaces the whole environment with `saved` (an environment block). */
static void restore_env(const char *saved) {
  char *now = GetEnvironmentStringsA(), name[1024];
  char *copy = copy_block(now);
  FreeEnvironmentStringsA(now);
  for (char *p = copy; *p; p += strlen(p) + 1) {
    const char *eq = strchr(p + 1, '=');
    if (*p == '=' || !eq || (size_t)(eq - p) >= sizeof name) continue;
    memcpy(name, p, (size_t)(eq - p));
    name[eq - p] = 0;
    SetEnvironmentVariableA(name, NULL);
  }
  free(copy);
  for (const char *p = saved; *p; p += strlen(p) + 1) {
    const char *eq = strchr(p + 1, '=');
    if (*p == '=' || !eq || (size_t)(eq - p) >= sizeof name) continue;
    memcpy(name, p, (size_t)(eq - p));
    name[eq - p] = 0;
    SetEnvironmentVariableA(name, eq + 1);
  }
}

static void pop_local(void) {
  n_locals--;
  restore_env(locals[n_locals].env);
  SetCurrentDirectoryA(locals[n_locals].cwd);
  free(locals[n_locals].env);
  free(locals[n_locals].cwd);
}

int b_setlocal(const char *a) {
  char cwd[MAX_PATH];
  (void)a;
  g_keep = 1;
  if (!g_batch) return 0;
  if (n_locals >= MAX_LOCALS) {
    errf("Maximum setlocal recursion level reached.\n");
    return 1;
  }
  char *block = GetEnvironmentStringsA();
  locals[n_locals].env = copy_block(block);
  FreeEnvironmentStringsA(block);
  if (!GetCurrentDirectoryA(sizeof cwd, cwd)) strcpy(cwd, ".");
  locals[n_locals].cwd = xstrdup(cwd);
  locals[n_locals].owner = g_batch;
  n_locals++;
  return 0;
}

int b_endlocal(const char *a) {
  (void)a;
  g_keep = 1;
  if (g_batch && n_locals > 0 && locals[n_locals - 1].owner == g_batch) pop_local();
  return 0;
}

void end_locals_of(struct batch *b) {
  while (n_locals > 0 && locals[n_locals - 1].owner == b) pop_local();
}

int b_pushd(const char *a) {
  char cwd[MAX_PATH], dir[MAX_PATH * 2];
  snprintf(dir, sizeof dir, "%s", skip_ws(a));
  rtrim(dir);
  unquote(dir);
  if (!GetCurrentDirectoryA(sizeof cwd, cwd)) return 1;
  if (!*dir) return 0;
  if (n_pushed >= MAX_PUSHD || !SetCurrentDirectoryA(dir)) {
    print_win32_error(ERROR_PATH_NOT_FOUND);
    return 1;
  }
  pushed[n_pushed++] = xstrdup(cwd);
  return 0;
}

int b_popd(const char *a) {
  (void)a;
  if (!n_pushed) return 0;
  char *dir = pushed[--n_pushed];
  SetCurrentDirectoryA(dir);
  free(dir);
  return 0;
}
