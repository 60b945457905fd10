/* Strata sh: shared declarations between the shell's modules. */
#ifndef STRATA_SH_H
#define STRATA_SH_H

#include <stddef.h>
#include <sys/types.h>

/* Longest pipeline and most jobs the shell tracks at once. */
#define SH_MAX_PIPE 16
#define SH_MAX_JOBS 32

/* ---- util.c: per-line arena, output, small string helpers ---- */

/* Bump allocator reset after each top-level command line; exits on exhaustion. */
void *arena_alloc(size_t n);
char *arena_strndup(const char *s, size_t n);
char *arena_strdup(const char *s);
char *arena_concat3(const char *a, const char *b, const char *c);
void arena_reset(void);
/* A point in the arena to come back to (loops free each iteration's memory). */
struct arena_mark {
  void *chunk;
  size_t used;
};
struct arena_mark arena_get_mark(void);
void arena_release(struct arena_mark m);

void out_str(int fd, const char *s);
/* Writes s in single quotes as the shell reads it back ('\'' for a quote). */
void out_single_quoted(int fd, const char *s);
void out_num(int fd, long n);
/* "sh: a: b\n" (b may be NULL). */
void sh_error(const char *a, const char *b);
/* "sh: a: b: strerror(err)\n" (b may be NULL). */
void sh_error_errno(const char *a, const char *b, int err);
const char *signal_name(int sig);
/* INT, QUIT, TSTP, TTIN and TTOU (what an interactive shell ignores) all set to `action`. */
void set_keyboard_signals(void (*action)(int));
/* 1 for one of those signals. */
int is_keyboard_signal(int sig);
/* Parses a non-negative decimal; returns -1 on anything else. */
long parse_uint(const char *s);
void num_to_str(long n, char *buf);

/* ---- vars.c: shell variables and the environment ---- */

void vars_init(char **envp);
const char *var_get(const char *name);
/* exported: 1 = export it, 0 = keep its current export flag. */
int var_set(const char *name, const char *value, int exported);
int var_export(const char *name);
void var_unset(const char *name);
/* The field separators: $IFS, or space, tab and newline when it is unset. */
const char *ifs_chars(void);
/* 1 for a separator that is also white space (those collapse and are trimmed). */
int ifs_is_white(char c);
/* `local NAME` in the function at `depth`: saves and unsets NAME (once per function). */
int var_make_local(const char *name, int depth);
/* Puts back what functions at `depth` and deeper made local. */
void vars_restore_locals(int depth);
int var_name_valid(const char *s, size_t n);
/* Length of the NAME part if the word is NAME=..., else 0. */
size_t var_assignment_len(const char *word);
/* NULL-terminated environment for execve, in the arena; extra are NAME=VALUE overrides. */
char **vars_environ(char **extra, int nextra);
void vars_print_exported(int fd);
/* All variables as NAME='VALUE' lines (the `set` listing). */
void vars_print_all(int fd);

/* ---- parse.c: lexer and parser ---- */

enum redir_kind { R_IN, R_OUT, R_APPEND, R_RDWR, R_DUP_IN, R_DUP_OUT, R_HEREDOC };

struct redir {
  int fd;
  enum redir_kind kind;
  char *target;   /* raw word, expanded at run time; R_HEREDOC: the body */
  int strip_tabs; /* R_HEREDOC: <<- */
  int quoted;     /* R_HEREDOC: the delimiter was quoted, so the body is literal */
  struct redir *next;
  struct redir *next_pending; /* parser: here-documents still waiting for their body */
};

enum cmd_type {
  CMD_SIMPLE,
  CMD_SUBSHELL,
  CMD_GROUP,
  CMD_IF,
  CMD_WHILE,
  CMD_UNTIL,
  CMD_FOR,
  CMD_CASE,
  CMD_FUNCDEF, /* var: the name; words[0]: the body's source text */
};

struct andor;

/* One `pattern|pattern) list ;;` of a case command. */
struct case_item {
  char **patterns; /* raw words */
  int npatterns;
  struct andor *body; /* may be NULL (empty) */
  struct case_item *next;
};

struct command {
  enum cmd_type type;
  char **words; /* SIMPLE: raw words, assignments first; FOR: the words after `in`; CASE: the subject */
  int nwords;
  struct redir *redirs;
  struct andor *cond;         /* IF, WHILE, UNTIL */
  struct andor *body;         /* ( ) { } bodies; IF's then-part; loop bodies */
  struct command *else_part;  /* IF: an IF node for elif, a GROUP node for else */
  char *var;                  /* FOR */
  int has_in;                 /* FOR: an explicit `in` list (else "$@") */
  struct case_item *items;    /* CASE */
};

struct pipeline {
  struct command *cmds[SH_MAX_PIPE];
  int ncmds;
  int negate;
};

enum andor_op { OP_AND, OP_OR };

struct andor {
  struct pipeline **pipes;
  enum andor_op *ops; /* ops[i] joins pipes[i] and pipes[i+1] */
  int npipes;
  int background;
  char *text; /* source text, for job listings */
  struct andor *next;
};

/* Where commands come from: a string (-c), or a file descriptor. */
struct source {
  int fd;
  const char *str;
  size_t str_len, str_pos;
  int interactive;
  int share_fd; /* fd is also children's stdin: give back unread bytes */
  char buf[1024];
  size_t len, pos;
  int eof;
};

enum parse_result { PARSE_OK, PARSE_EOF, PARSE_ERROR };

/* Reads and parses one complete command line (more lines if it continues). */
enum parse_result parse_line(struct source *src, struct andor **out);

/* ---- expand.c ---- */

/* Expands a raw word into fields (split, quotes removed); fields in the arena. */
int expand_word(const char *raw, char ***fields, int *nfields);
/* Expands without field splitting (assignments, redirection targets). */
char *expand_single(const char *raw);
/* Expands a here-document body: parameters, substitutions and \$ \` \\ escapes. */
char *expand_heredoc(const char *body);
/* 1 if subject matches the case pattern raw (quoted parts literal), 0 if not, -1 on error. */
int case_pattern_match(const char *raw, const char *subject);

/* ---- arith.c ---- */

/* Evaluates an (already expanded) arithmetic expression; -1 on error (reported). */
int arith_eval(const char *expr, long *out);

/* ---- jobs.c ---- */

struct job {
  int used;
  int id;
  pid_t pgid;
  int npids;
  pid_t pids[SH_MAX_PIPE];
  int status[SH_MAX_PIPE];
  unsigned char done[SH_MAX_PIPE];
  int stopped;
  int stop_sig; /* the signal that stopped it, for the message */
  int background;
  int notified;
  char text[64];
};

struct job *job_new(const char *text);
void job_free(struct job *j);
struct job *job_find_id(int id);
struct job *job_find_pid(pid_t pid);
struct job *job_current(void);
int job_is_done(const struct job *j);
/* Wait for a foreground job; returns its status as $? (128+sig if signalled). */
int job_wait_fg(struct job *j);
/* Collect finished children without blocking; report them when interactive. */
void jobs_reap(int report);
int job_exit_status(const struct job *j);
void jobs_list(int fd);
/* Converts a wait status into the shell's $? value. */
int status_to_exit(int wstatus);
/* Prints the message shells print for a child killed by a signal. */
void report_signal(int wstatus);
/* Blocks until the given pid (or any job, pid 0) finishes; returns $?. */
int jobs_wait(pid_t pid, int *found);
/* Continues a stopped job in the foreground (waits for it) or background. */
int job_continue(struct job *j, int foreground);

/* ---- exec.c ---- */

int run_list(struct andor *list);
/* Runs text as commands in a child; returns its standard output (arena), or
 * NULL on failure. Sets $? to the child's status. */
char *command_output(const char *text);
/* Parses and runs every line of a source; returns the last status. The
 * top level frees the arena after each line; a forked child must not, since
 * its inherited state (e.g. a function's arguments) lives there. */
int run_source(struct source *src, int reset_arena);
/* Runs src's command lines inside the current one (function bodies, `.`,
 * traps) until its end, a syntax error (status 2), or an unwinding
 * return/break/continue/^C; returns the last status. */
int run_nested(struct source *src);
/* The first PATH entry where name is a regular file with `mode` access, in the arena; NULL if none. */
const char *path_search(const char *name, int mode);
int run_andor(struct andor *a);
/* Set by the interactive shell's SIGINT handler (^C while the shell itself runs). */
extern volatile int sh_sigint;
/* fork(); in an interactive shell the child starts with SIGINT at its default
 * action (SIGINT is blocked across the fork so none slips in between). */
pid_t sh_fork(void);
/* 1 when the command line must be abandoned (a child died of ^C, or ^C reached the shell). */
int interrupt_check(void);

/* ---- alias.c ---- */

/* The name of the i-th alias, NULL past the last. */
const char *alias_name(int i);
/* The text of alias NAME, or NULL. */
const char *alias_get(const char *name);
int builtin_alias(int argc, char **argv);
int builtin_unalias(int argc, char **argv);

/* ---- trap.c ---- */

/* Trap conditions: 0 is EXIT, 1..64 the signals. */
#define TRAP_CONDITIONS 65
/* Sets a condition's action: NULL resets it, "" ignores, else a command. -1 if it cannot be trapped. */
int trap_set(int cond, const char *action);
/* An interactive shell's own SIGINT handling (sets sh_sigint) unless INT is trapped. */
void trap_init_interactive(void);
/* The action of a condition (NULL: default). */
const char *trap_action(int cond);
/* Runs the actions of signals caught since the last call (between commands). */
void traps_run_pending(void);
/* In a forked child: trapped signals go back to default (ignored ones stay ignored). */
void traps_reset_in_child(void);
/* Runs the EXIT trap (once), then exits with status. */
void sh_exit(int status) __attribute__((noreturn));

/* ---- func.c ---- */

const char *func_lookup(const char *name);
/* The name of the i-th function, NULL past the last. */
const char *func_name(int i);
int func_define(const char *name, const char *text);
/* Runs a function body with argv as $0 (unchanged) and $1...; returns its status. */
int func_call(const char *text, int argc, char **argv);

/* ---- builtins.c ---- */

typedef int (*builtin_fn)(int argc, char **argv);
builtin_fn builtin_lookup(const char *name);
/* The name of the i-th builtin, NULL past the last. */
const char *builtin_name(int i);
int builtin_history(int argc, char **argv);
/* ulimit (ulimit.c). */
int builtin_ulimit(int argc, char **argv);

/* ---- lineedit.c: interactive line editing ---- */

/* 1 when stdin and stderr are terminals whose settings can be read. */
int lineedit_usable(void);
/* Prompts and reads one edited line (no newline) into a static buffer:
 * 1 with a line, 0 at end of input (^D on an empty line), -1 after ^C. */
int lineedit_read(const char *prompt, char **line);

/* ---- complete.c: Tab completion ---- */

struct completion {
  char **matches; /* whole names (directories end in '/'), sorted, unique */
  int n, cap;
  size_t typed_len; /* how much of each match is already typed */
};
/* Completes the word that ends at pos in line. */
int complete_word(const char *line, size_t pos, struct completion *c);
void complete_free(struct completion *c);
/* Copies s[0..n) to out with shell metacharacters backslash-quoted; returns the length. */
size_t complete_quote(const char *s, size_t n, char *out, size_t cap);

/* ---- history.c: command history ---- */

/* Loads $HISTFILE (default ~/.sh_history) once. */
void history_init(void);
/* Adds a line (no newline) to the list and appends it to the file. */
void history_add(const char *line);
int history_count(void);
/* Entry i (0 = oldest kept). */
const char *history_get(int i);
/* Expands !!, !N, !-N and !PREFIX in line: NULL if there is no event
 * (line unchanged), an arena string, or HISTORY_ERROR after reporting. */
char *history_expand(const char *line);
extern char history_error_marker;
#define HISTORY_ERROR (&history_error_marker)
/* test_builtin.c: test and [ (returns 0 true, 1 false, 2 error). */
int builtin_test(int argc, char **argv);

/* ---- global shell state (main.c) ---- */

struct shell_state {
  int last_status;       /* $? */
  pid_t shell_pid;       /* $$ */
  pid_t last_bg_pid;     /* $! */
  int interactive;
  int job_control;       /* process groups and terminal handover enabled */
  int tty_fd;            /* the controlling terminal, when job_control */
  pid_t shell_pgid;
  int is_subshell;       /* a forked copy: never touches the terminal */
  char *arg0;            /* $0 */
  char **params;         /* $1... */
  int nparams;
  int loop_depth; /* for break/continue */
  int breaking;   /* levels of loops left to break out of */
  int continuing; /* levels to continue (1: the innermost) */
  int interrupted; /* a foreground job died of ^C: abandon the command line */
  int func_depth;
  int source_depth; /* inside `.` FILE */
  int opt_errexit; /* set -e */
  int opt_xtrace;  /* set -x */
  int cond_depth;  /* inside an if/while/until condition: set -e does not apply */
  int returning; /* `return` ran: unwind to the function call */
  int return_status;
  int subst_ran;    /* a command substitution ran while expanding this command */
  int subst_status; /* ...and this was its status */
  int line_cancelled; /* ^C at the line editor: the command being typed is dropped */
};

extern struct shell_state sh;

#endif
