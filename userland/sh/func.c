/* Strata sh: shell functions. A definition keeps the body's source text and
 * each call parses it again, so parse trees stay in the per-line arena. */
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct func {
  char *name;
  char *text;
};

static struct func *funcs;
static int nfuncs, capfuncs;

const char *func_name(int i) { return i >= 0 && i < nfuncs ? funcs[i].name : NULL; }

const char *func_lookup(const char *name) {
  for (int i = 0; i < nfuncs; i++)
    if (strcmp(funcs[i].name, name) == 0) return funcs[i].text;
  return NULL;
}

int func_define(const char *name, const char *text) {
  char *t = strdup(text);
  if (!t) {
    sh_error(name, "out of memory");
    return 1;
  }
  for (int i = 0; i < nfuncs; i++) {
    if (strcmp(funcs[i].name, name) == 0) {
      free(funcs[i].text);
      funcs[i].text = t;
      return 0;
    }
  }
  if (nfuncs == capfuncs) {
    int cap = capfuncs ? capfuncs * 2 : 16;
    struct func *nf = realloc(funcs, (size_t)cap * sizeof(*nf));
    if (!nf) {
      free(t);
      sh_error(name, "out of memory");
      return 1;
    }
    funcs = nf;
    capfuncs = cap;
  }
  funcs[nfuncs].name = strdup(name);
  if (!funcs[nfuncs].name) {
    free(t);
    sh_error(name, "out of memory");
    return 1;
  }
  funcs[nfuncs].text = t;
  nfuncs++;
  return 0;
}

int func_call(const char *text, int argc, char **argv) {
  if (sh.func_depth >= 100) {
    sh_error(argv[0], "function nesting too deep");
    return 2;
  }
  char **saved_params = sh.params;
  int saved_n = sh.nparams;
  sh.params = argv + 1;
  sh.nparams = argc - 1;
  /* A copy: the function may redefine itself while it runs. */
  struct source src;
  memset(&src, 0, sizeof(src));
  src.fd = -1;
  src.str = arena_strdup(text);
  src.str_len = strlen(src.str);
  sh.func_depth++;
  int depth = sh.func_depth;
  int status = run_nested(&src);
  vars_restore_locals(depth);
  sh.func_depth--;
  if (sh.returning) {
    status = sh.return_status;
    sh.returning = 0;
  }
  sh.params = saved_params;
  sh.nparams = saved_n;
  return status;
}
