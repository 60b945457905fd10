/* Strata sh: aliases. The parser replaces a command's first word by its
 * alias text before parsing the command (parse.c); these are the table and
 * the alias / unalias builtins. */
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct alias {
  char *name;
  char *value;
};

static struct alias *aliases;
static int naliases, capaliases;

static struct alias *find(const char *name) {
  for (int i = 0; i < naliases; i++)
    if (strcmp(aliases[i].name, name) == 0) return &aliases[i];
  return NULL;
}

const char *alias_name(int i) { return i >= 0 && i < naliases ? aliases[i].name : NULL; }

const char *alias_get(const char *name) {
  struct alias *a = find(name);
  return a ? a->value : NULL;
}

/* A name may not hold quotes, blanks, `=`, `/` or shell metacharacters. */
static int alias_name_valid(const char *s, size_t n) {
  if (n == 0) return 0;
  for (size_t i = 0; i < n; i++)
    if (strchr(" \t\n'\"\\`$=/;&|<>()", s[i])) return 0;
  return 1;
}

static int alias_set(const char *name, size_t n, const char *value) {
  char *nm = strndup(name, n), *v = strdup(value);
  if (!nm || !v) {
    free(nm);
    free(v);
    sh_error("alias", "out of memory");
    return 1;
  }
  struct alias *a = find(nm);
  if (a) {
    free(nm);
    free(a->value);
    a->value = v;
    return 0;
  }
  if (naliases == capaliases) {
    int cap = capaliases ? capaliases * 2 : 16;
    struct alias *na = realloc(aliases, (size_t)cap * sizeof(struct alias));
    if (!na) {
      free(nm);
      free(v);
      sh_error("alias", "out of memory");
      return 1;
    }
    aliases = na;
    capaliases = cap;
  }
  aliases[naliases].name = nm;
  aliases[naliases].value = v;
  naliases++;
  return 0;
}

static void print_alias(const struct alias *a) {
  out_str(1, a->name);
  out_str(1, "=");
  out_single_quoted(1, a->value);
  out_str(1, "\n");
}

static int by_name(const void *x, const void *y) {
  return strcmp(((const struct alias *)x)->name, ((const struct alias *)y)->name);
}

/* alias [NAME[=VALUE]...]: defines, or prints as NAME='VALUE' (all, sorted, without arguments). */
int builtin_alias(int argc, char **argv) {
  if (argc == 1) {
    qsort(aliases, (size_t)naliases, sizeof(struct alias), by_name);
    for (int i = 0; i < naliases; i++) print_alias(&aliases[i]);
    return 0;
  }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    const char *eq = strchr(argv[i], '=');
    if (eq) {
      if (!alias_name_valid(argv[i], (size_t)(eq - argv[i]))) {
        sh_error("alias", arena_concat3(argv[i], ": ", "invalid alias name"));
        status = 1;
      } else if (alias_set(argv[i], (size_t)(eq - argv[i]), eq + 1) != 0) {
        return 1;
      }
      continue;
    }
    struct alias *a = find(argv[i]);
    if (a) {
      print_alias(a);
    } else {
      sh_error("alias", arena_concat3(argv[i], ": ", "not found"));
      status = 1;
    }
  }
  return status;
}

/* unalias -a | NAME...: removes aliases. */
int builtin_unalias(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "-a") == 0) {
    for (int i = 0; i < naliases; i++) {
      free(aliases[i].name);
      free(aliases[i].value);
    }
    naliases = 0;
    return 0;
  }
  if (argc == 1) {
    sh_error("unalias", "usage: unalias [-a] name [name ...]");
    return 2;
  }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    struct alias *a = find(argv[i]);
    if (!a) {
      sh_error("unalias", arena_concat3(argv[i], ": ", "not found"));
      status = 1;
      continue;
    }
    free(a->name);
    free(a->value);
    *a = aliases[--naliases];
  }
  return status;
}
