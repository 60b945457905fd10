/* Strata sh: commands the shell runs itself (they change the shell's state). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

static char cwd_buf[4096];

static int bi_colon(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return 0;
}

static int bi_false(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return 1;
}

static int bi_cd(int argc, char **argv) {
  const char *dir;
  int print = 0;
  if (argc > 2) {
    sh_error("cd", "too many arguments");
    return 1;
  }
  if (argc < 2) {
    dir = var_get("HOME");
    if (!dir) {
      sh_error("cd", "HOME not set");
      return 1;
    }
  } else if (strcmp(argv[1], "-") == 0) {
    dir = var_get("OLDPWD");
    if (!dir) {
      sh_error("cd", "OLDPWD not set");
      return 1;
    }
    print = 1;
  } else {
    dir = argv[1];
  }
  const char *old = getcwd(cwd_buf, sizeof(cwd_buf)) ? cwd_buf : var_get("PWD");
  char *old_copy = old ? arena_strdup(old) : NULL;
  if (chdir(dir) < 0) {
    sh_error_errno("cd", dir, errno);
    return 1;
  }
  if (old_copy) var_set("OLDPWD", old_copy, 0);
  if (getcwd(cwd_buf, sizeof(cwd_buf))) {
    var_set("PWD", cwd_buf, 0);
    if (print) {
      out_str(1, cwd_buf);
      out_str(1, "\n");
    }
  }
  return 0;
}

static int bi_pwd(int argc, char **argv) {
  (void)argc;
  (void)argv;
  if (!getcwd(cwd_buf, sizeof(cwd_buf))) {
    sh_error_errno("pwd", NULL, errno);
    return 1;
  }
  out_str(1, cwd_buf);
  out_str(1, "\n");
  return 0;
}

static int bi_exit(int argc, char **argv) {
  int code = sh.last_status;
  if (argc > 1) {
    long n = parse_uint(argv[1]);
    if (n < 0) {
      sh_error("exit", "Illegal number");
      code = 2;
    } else {
      code = (int)(n & 255);
    }
  }
  exit(code);
}

static int bi_export(int argc, char **argv) {
  if (argc == 1) {
    vars_print_exported(1);
    return 0;
  }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
    if (!var_name_valid(argv[i], n)) {
      sh_error("export", arena_concat3(argv[i], ": ", "not a valid identifier"));
      status = 1;
      continue;
    }
    if (eq) var_set(arena_strndup(argv[i], n), eq + 1, 1);
    else var_export(argv[i]);
  }
  return status;
}

static int bi_unset(int argc, char **argv) {
  int status = 0;
  for (int i = 1; i < argc; i++) {
    if (!var_name_valid(argv[i], strlen(argv[i]))) {
      sh_error("unset", arena_concat3(argv[i], ": ", "not a valid identifier"));
      status = 1;
      continue;
    }
    var_unset(argv[i]);
  }
  return status;
}

/* %N, N (job number for fg/bg), or nothing (the current job). */
static struct job *job_arg(const char *name, int argc, char **argv) {
  struct job *j;
  if (argc < 2) {
    j = job_current();
  } else {
    const char *s = argv[1][0] == '%' ? argv[1] + 1 : argv[1];
    long id = parse_uint(s);
    j = id > 0 ? job_find_id((int)id) : NULL;
  }
  if (!j) sh_error(name, "no such job");
  return j;
}

static int bi_fg(int argc, char **argv) {
  struct job *j = job_arg("fg", argc, argv);
  return j ? job_continue(j, 1) : 1;
}

static int bi_bg(int argc, char **argv) {
  struct job *j = job_arg("bg", argc, argv);
  return j ? job_continue(j, 0) : 1;
}

static int bi_jobs(int argc, char **argv) {
  (void)argc;
  (void)argv;
  jobs_list(1);
  return 0;
}

static int bi_wait(int argc, char **argv) {
  if (argc == 1) return jobs_wait(0, &(int){0});
  int status = 0;
  for (int i = 1; i < argc; i++) {
    pid_t pid;
    if (argv[i][0] == '%') {
      long id = parse_uint(argv[i] + 1);
      struct job *j = id > 0 ? job_find_id((int)id) : NULL;
      if (!j) {
        sh_error("wait", arena_concat3(argv[i], ": ", "no such job"));
        status = 127;
        continue;
      }
      pid = j->pids[j->npids - 1];
    } else {
      long n = parse_uint(argv[i]);
      if (n <= 0) {
        sh_error("wait", arena_concat3(argv[i], ": ", "not a pid or valid job spec"));
        status = 2;
        continue;
      }
      pid = (pid_t)n;
    }
    int found;
    status = jobs_wait(pid, &found);
    if (!found) sh_error("wait", arena_concat3("pid ", argv[i], " is not a child of this shell"));
  }
  return status;
}

struct builtin {
  const char *name;
  builtin_fn fn;
};

static const struct builtin builtins[] = {
    {":", bi_colon},       {"true", bi_colon}, {"false", bi_false}, {"cd", bi_cd},
    {"pwd", bi_pwd},       {"exit", bi_exit},  {"export", bi_export}, {"unset", bi_unset},
    {"wait", bi_wait},     {"jobs", bi_jobs},  {"fg", bi_fg},       {"bg", bi_bg},
};

builtin_fn builtin_lookup(const char *name) {
  for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
    if (strcmp(builtins[i].name, name) == 0) return builtins[i].fn;
  return NULL;
}
