/* Strata sh: shell variables; exported ones form the children's environment. */
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct var {
  char *name;
  char *value;
  int exported;
};

static struct var *vars;
static int nvars, capvars;

static int is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

int var_name_valid(const char *s, size_t n) {
  if (n == 0 || !is_name_start(s[0])) return 0;
  for (size_t i = 1; i < n; i++)
    if (!is_name_char(s[i])) return 0;
  return 1;
}

size_t var_assignment_len(const char *word) {
  size_t i = 0;
  if (!is_name_start(word[0])) return 0;
  while (is_name_char(word[i])) i++;
  return word[i] == '=' ? i : 0;
}

static struct var *find(const char *name) {
  for (int i = 0; i < nvars; i++)
    if (strcmp(vars[i].name, name) == 0) return &vars[i];
  return NULL;
}

const char *var_get(const char *name) {
  struct var *v = find(name);
  return v ? v->value : NULL;
}

static char *xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p) {
    out_str(2, "sh: out of memory\n");
    exit(2);
  }
  return p;
}

int var_set(const char *name, const char *value, int exported) {
  struct var *v = find(name);
  if (v) {
    char *nv = xstrdup(value);
    free(v->value);
    v->value = nv;
    if (exported) v->exported = 1;
    return 0;
  }
  if (nvars == capvars) {
    int cap = capvars ? capvars * 2 : 32;
    struct var *nvv = realloc(vars, (size_t)cap * sizeof(struct var));
    if (!nvv) {
      sh_error("out of memory", NULL);
      return 1;
    }
    vars = nvv;
    capvars = cap;
  }
  vars[nvars].name = xstrdup(name);
  vars[nvars].value = xstrdup(value);
  vars[nvars].exported = exported;
  nvars++;
  return 0;
}

int var_export(const char *name) {
  struct var *v = find(name);
  if (!v) return var_set(name, "", 1);
  v->exported = 1;
  return 0;
}

void var_unset(const char *name) {
  struct var *v = find(name);
  if (!v) return;
  free(v->name);
  free(v->value);
  *v = vars[--nvars];
}

/* Values that `local` hid, to put back when their function returns. */
struct saved_var {
  char *name;
  char *value; /* NULL: it was unset */
  int exported;
  int depth;   /* sh.func_depth of the function that made it local */
};
static struct saved_var *saved;
static int nsaved, capsaved;

int var_make_local(const char *name, int depth) {
  for (int i = nsaved - 1; i >= 0 && saved[i].depth == depth; i--)
    if (strcmp(saved[i].name, name) == 0) return 0; /* already local here */
  if (nsaved == capsaved) {
    int cap = capsaved ? capsaved * 2 : 16;
    struct saved_var *ns = realloc(saved, (size_t)cap * sizeof(struct saved_var));
    if (!ns) {
      sh_error("local", "out of memory");
      return 1;
    }
    saved = ns;
    capsaved = cap;
  }
  struct var *v = find(name);
  saved[nsaved].name = xstrdup(name);
  saved[nsaved].value = v ? xstrdup(v->value) : NULL;
  saved[nsaved].exported = v ? v->exported : 0;
  saved[nsaved].depth = depth;
  nsaved++;
  var_unset(name);
  return 0;
}

void vars_restore_locals(int depth) {
  while (nsaved > 0 && saved[nsaved - 1].depth >= depth) {
    struct saved_var *sv = &saved[--nsaved];
    var_unset(sv->name);
    if (sv->value) {
      var_set(sv->name, sv->value, sv->exported);
      free(sv->value);
    }
    free(sv->name);
  }
}

void vars_init(char **envp) {
  for (; envp && *envp; envp++) {
    const char *eq = strchr(*envp, '=');
    if (!eq || !var_name_valid(*envp, (size_t)(eq - *envp))) continue;
    char *name = arena_strndup(*envp, (size_t)(eq - *envp));
    var_set(name, eq + 1, 1);
  }
}

char **vars_environ(char **extra, int nextra) {
  char **env = arena_alloc((size_t)(nvars + nextra + 1) * sizeof(char *));
  int n = 0;
  for (int i = 0; i < nvars; i++) {
    if (!vars[i].exported) continue;
    size_t nl = strlen(vars[i].name);
    int overridden = 0;
    for (int k = 0; k < nextra; k++)
      if (strncmp(extra[k], vars[i].name, nl) == 0 && extra[k][nl] == '=') overridden = 1;
    if (!overridden) env[n++] = arena_concat3(vars[i].name, "=", vars[i].value);
  }
  for (int k = 0; k < nextra; k++) env[n++] = extra[k];
  env[n] = NULL;
  return env;
}

static void print_vars(int fd, int only_exported) {
  for (int i = 0; i < nvars; i++) {
    if (only_exported && !vars[i].exported) continue;
    /* Quoted for re-input: ' becomes '\'' (4 bytes per quote at most). */
    size_t n = strlen(vars[i].value);
    char *q = arena_alloc(n * 4 + 3), *o = q;
    *o++ = '\'';
    for (const char *p = vars[i].value; *p; p++) {
      if (*p == '\'') {
        memcpy(o, "'\\''", 4);
        o += 4;
      } else {
        *o++ = *p;
      }
    }
    *o++ = '\'';
    *o = 0;
    if (only_exported) out_str(fd, "export ");
    out_str(fd, vars[i].name);
    out_str(fd, "=");
    out_str(fd, q);
    out_str(fd, "\n");
  }
}

void vars_print_exported(int fd) { print_vars(fd, 1); }

void vars_print_all(int fd) { print_vars(fd, 0); }

const char *ifs_chars(void) {
  const char *v = var_get("IFS");
  return v ? v : " \t\n";
}

int ifs_is_white(char c) { return (c == ' ' || c == '\t' || c == '\n') && strchr(ifs_chars(), c); }
