/* cmd.exe's shared declarations. The program is split by concern:
 *   main.c     start-up (/c, /k, /d, /q), the prompt loop, line input, exit code
 *   io.c       output to the current standard handles, messages, helpers
 *   expand.c   %VAR%, %ERRORLEVEL%, %0..%9 and %* expansion, FOR variables
 *   parse.c    the command-line grammar: & && || | ( ) redirections, if, for
 *   exec.c     running a parsed tree: redirection, pipes, external commands
 *   batch.c    .bat/.cmd files: labels, goto, call, shift, exit /b
 *   b_basic.c  echo, set (and set /a), ver, cls, title, pause, exit, path, where
 *   b_flow.c   if, for
 *   b_files.c  dir, cd, type, copy, del, md, rd, ren, move
 *   b_local.c  setlocal, endlocal, pushd, popd
 * The same sources build with MinGW-w64 (for the comparison under Wine). */
#ifndef CMD_H
#define CMD_H
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 8192

/* ---- parse tree ---- */
enum node_kind { N_SIMPLE, N_BLOCK, N_SEQ, N_AND, N_OR, N_PIPE, N_IF, N_FOR };

struct redir {
  int fd;         /* 0, 1 or 2 */
  int append;     /* >> */
  int dupfd;      /* 2>&1: the source descriptor, or -1 */
  char *target;   /* file name (NULL for a dup) */
  struct redir *next;
};

struct node {
  enum node_kind kind;
  struct node *left, *right; /* operators; IF: then/else; FOR: body in left */
  char *text;                /* SIMPLE: the command text without redirections */
  char *src;                 /* the node's source text (a pipe runs a built-in in a child cmd) */
  int quiet;                 /* '@' prefix */
  struct redir *redirs;
  /* IF */
  int negate, icase;
  char *cond;                /* IF: "exist", "errorlevel", "defined", "cmp" */
  char *a, *op, *b;
  /* FOR */
  char forvar;
  char *set;
};

struct node *parse_line(const char *line, const char **err);
void free_node(struct node *n);

/* ---- state ---- */
struct batch {
  char *path;
  char *text;          /* whole file */
  size_t pos;          /* next line */
  char *args[32];      /* %0.. */
  int nargs, shift;
  char *all;           /* %*: the arguments as given */
  struct batch *prev;
  int call_label;      /* a "call :label" frame: ends at end of file or goto :eof */
  int done;
};

extern int g_echo;        /* echo on/off */
extern int g_errorlevel;
extern int g_exit;        /* exit requested: leave cmd */
extern int g_interactive;
extern struct batch *g_batch;
extern HANDLE g_in, g_out, g_err;
extern char g_self[MAX_PATH];
extern volatile int g_ctrl_c; /* a Ctrl+C arrived (set by the console control thread) */
extern volatile int g_at_prompt;
extern int g_keep;        /* the built-in that ran left the errorlevel alone */
extern int g_abort_line;  /* goto / exit: the rest of the line does not run */

/* ---- io.c ---- */
void out_write(HANDLE h, const char *s, size_t n);
void outf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void errf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_win32_error(DWORD code);
void with_commas(unsigned long long v, char *out);
int ci_eq(const char *a, const char *b);
int ci_prefix(const char *s, const char *prefix);
char *skip_ws(const char *s);
int is_ws(int c);
char *xstrdup(const char *s);
void *xmalloc(size_t n);
void rtrim(char *s);
void unquote(char *s);
/* Splits text into words (quotes group and are kept); returns the count. */
int split_words(const char *text, char **words, int max, char *store);
void prompt_string(char *out, size_t size);

/* ---- expand.c ---- */
void expand_vars(const char *in, char *out, size_t size);
void subst_for_vars(const char *in, char *out, size_t size);
void push_for_var(char name, const char *value);
void pop_for_var(void);

/* ---- exec.c ---- */
int run_node(struct node *n);
int run_line(const char *line);
int run_text(const char *text, struct redir *r);
int find_program(const char *name, char *out, size_t size);

/* ---- batch.c ---- */
int run_batch(const char *typed, const char *path, const char *args, int is_call);
int call_label(const char *label_args, const char *rest);
int goto_label(const char *label);
const char *batch_arg(int n);
void batch_all_args(char *out, size_t size);
int b_shift(const char *args);
/* Open-parenthesis balance of a line (a block continues while it is > 0). */
int paren_balance(const char *s);

/* ---- builtins ---- */
typedef int (*builtin_fn)(const char *args);
builtin_fn find_builtin(const char *name);
int b_echo(const char *a);
int b_set(const char *a);
int b_ver(const char *a);
int b_cls(const char *a);
int b_title(const char *a);
int b_pause(const char *a);
int b_exit(const char *a);
int b_path(const char *a);
int b_where(const char *a);
int b_rem(const char *a);
int b_goto(const char *a);
int b_call(const char *a);
int b_setlocal(const char *a);
int b_endlocal(const char *a);
int b_pushd(const char *a);
int b_popd(const char *a);
/* The implicit endlocal when batch frame b ends. */
void end_locals_of(struct batch *b);
int b_dir(const char *a);
int b_cd(const char *a);
int b_type(const char *a);
int b_copy(const char *a);
int b_del(const char *a);
int b_md(const char *a);
int b_rd(const char *a);
int b_ren(const char *a);
int b_move(const char *a);
int run_if(struct node *n);
int run_for(struct node *n);
#endif
