/* grep [-E|-F|-G] [-i] [-v] [-w] [-x] [-n] [-c] [-l] [-q] [-s] [-h|-H] [-r|-R]
 *      [-e PATTERN]... [PATTERN] [FILE...]: print the lines of each FILE (standard
 * input for none or "-"; "." with -r) that match a PATTERN.
 *
 * Patterns are POSIX basic regular expressions (. * ^ $ [...] with ranges,
 * negation and [:class:] names, \( \), \{m,n\}, and GNU's \+ \? \| \w \W \s \S
 * \< \> \b \B), extended ones with -E (+ ? | ( ) {m,n} unescaped), or fixed
 * strings with -F; each line of a PATTERN is a pattern of its own. -i ignores
 * case, -v selects the lines that do not match, -w / -x want the match to be a
 * whole word / the whole line. -n prefixes line numbers, -c prints counts, -l
 * the names of the files with a selected line, -q prints nothing and stops at
 * the first one, -s hides messages about unreadable files, -H / -h force / hide
 * the "NAME:" prefix (given by default for several files or -r), -r searches
 * directories recursively. Status: 0 if a line was selected, 1 if none, 2 on an
 * error (0 with -q once a line was selected), as GNU grep.
 *
 * Matching is a small backtracking machine over a compiled program; a table of
 * (instruction, position) pairs already tried keeps it linear in the line
 * length per instruction. Back-references are not supported. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "help.h"

static const char usage_text[] =
    "Usage: grep [OPTION]... PATTERNS [FILE]...\n"
    "Search for PATTERNS in each FILE.\n"
    "\n"
    "Pattern selection and interpretation:\n"
    "  -E, --extended-regexp     PATTERNS are extended regular expressions\n"
    "  -F, --fixed-strings       PATTERNS are strings\n"
    "  -G, --basic-regexp        PATTERNS are basic regular expressions\n"
    "  -e, --regexp=PATTERNS     use PATTERNS for matching\n"
    "  -i, --ignore-case         ignore case distinctions in patterns and data\n"
    "  -w, --word-regexp         match only whole words\n"
    "  -x, --line-regexp         match only whole lines\n"
    "\n"
    "Miscellaneous:\n"
    "  -s, --no-messages         suppress error messages\n"
    "  -v, --invert-match        select non-matching lines\n"
    "      --help                display this help text and exit\n"
    "\n"
    "Output control:\n"
    "  -n, --line-number         print line number with output lines\n"
    "  -H, --with-filename       print file name with output lines\n"
    "  -h, --no-filename         suppress the file name prefix on output\n"
    "  -q, --quiet, --silent     suppress all normal output\n"
    "  -r, --recursive           search directories recursively\n"
    "  -R, --dereference-recursive  likewise\n"
    "  -l, --files-with-matches  print only names of FILEs with selected lines\n"
    "  -c, --count               print only a count of selected lines per FILE\n"
    "\n"
    "When FILE is '-', read standard input.  With no FILE, read '.' if\n"
    "recursive, '-' otherwise.\n"
    "Exit status is 0 if any line is selected, 1 otherwise;\n"
    "if any error occurs and -q is not given, the exit status is 2.\n";


/* ---- Compiling a pattern ---------------------------------------------- */

enum {
  OP_CHAR,    /* x: the byte */
  OP_ANY,     /* any byte */
  OP_CLASS,   /* x: index of a 256-bit set */
  OP_BOL,     /* start of line */
  OP_EOL,     /* end of line */
  OP_WORDB,   /* \b */
  OP_NWORDB,  /* \B */
  OP_BOW,     /* \< */
  OP_EOW,     /* \> */
  OP_NOWORD_BEFORE, /* -w: no word byte just before */
  OP_NOWORD_AFTER,  /* -w: no word byte just after */
  OP_JMP,     /* x: target */
  OP_SPLIT,   /* try x, then y */
  OP_MATCH,
};

struct inst {
  int op, x, y;
};

/* Parse tree. */
enum { N_EMPTY, N_OP, N_CAT, N_ALT, N_REPEAT };
struct node {
  int kind, op, arg;  /* N_OP: instruction and its argument */
  int min, max;       /* N_REPEAT; max -1 for no bound */
  struct node *a, *b; /* N_CAT / N_ALT halves, N_REPEAT body in a */
};

struct prog {
  struct inst *code;
  int len, cap;
};

static int extended, fixed, ignore_case, word, whole_line;
static unsigned char (*classes)[32];
static int nclasses;
static const char *pat; /* the pattern being parsed */
static size_t pos, pat_len;

#define RE_DUP_MAX 255
#define MAX_PROG 200000

static void fail(const char *msg) {
  fprintf(stderr, "grep: %s\n", msg);
  exit(2);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) fail("memory exhausted");
  return p;
}

static struct node *mk(int kind, int op, int arg, struct node *a, struct node *b) {
  struct node *n = xmalloc(sizeof *n);
  n->kind = kind, n->op = op, n->arg = arg, n->a = a, n->b = b, n->min = n->max = 0;
  return n;
}

static struct node *cat(struct node *a, struct node *b) {
  if (!a) return b;
  if (!b) return a;
  return mk(N_CAT, 0, 0, a, b);
}

static int is_word(int c) { return isalnum(c) || c == '_'; }

static int new_class(void) {
  unsigned char(*c)[32] = realloc(classes, (size_t)(nclasses + 1) * sizeof *classes);
  if (!c) fail("memory exhausted");
  classes = c;
  memset(classes[nclasses], 0, 32);
  return nclasses++;
}

static void set_bit(int cls, int c) { classes[cls][c >> 3] |= (unsigned char)(1 << (c & 7)); }
static int has_bit(int cls, int c) { return classes[cls][c >> 3] >> (c & 7) & 1; }

static const struct {
  const char *name;
  int (*test)(int);
} class_names[] = {
    {"alpha", isalpha}, {"digit", isdigit}, {"alnum", isalnum}, {"upper", isupper},
    {"lower", islower}, {"space", isspace}, {"blank", isblank}, {"punct", ispunct},
    {"print", isprint}, {"graph", isgraph}, {"cntrl", iscntrl}, {"xdigit", isxdigit},
};

/* A class made of the bytes passing test (or failing it, when negated). */
static struct node *class_of(int (*test)(int), int negate) {
  int cls = new_class();
  for (int c = 0; c < 256; c++)
    if (!test(c) != !negate) set_bit(cls, c);
  return mk(N_OP, OP_CLASS, cls, 0, 0);
}

static const char unmatched_bracket[] = "Unmatched [, [^, [:, [., or [=";

/* A bracket expression; pos is just after the '['. */
static struct node *bracket(void) {
  int cls = new_class(), negate = 0;
  size_t start = pos;
  if (pos < pat_len && pat[pos] == '^') negate = 1, pos++;
  size_t first = pos;
  for (;;) {
    if (pos >= pat_len) fail(unmatched_bracket);
    int c = (unsigned char)pat[pos];
    if (c == ']' && pos > first) break;
    int lo;
    if (c == '[' && pos + 1 < pat_len && strchr(":.=", pat[pos + 1])) {
      char kind = pat[pos + 1];
      size_t name = pos + 2, end = name;
      while (end + 1 < pat_len && !(pat[end] == kind && pat[end + 1] == ']')) end++;
      if (end + 1 >= pat_len) fail(unmatched_bracket);
      pos = end + 2;
      if (kind != ':') {
        /* [.x.] and [=x=]: only single bytes. */
        if (end - name != 1) fail("Invalid collation character");
        lo = (unsigned char)pat[name];
      } else {
        size_t i, n = sizeof class_names / sizeof class_names[0];
        for (i = 0; i < n; i++)
          if (strlen(class_names[i].name) == end - name &&
              memcmp(class_names[i].name, pat + name, end - name) == 0)
            break;
        if (i == n) fail("Invalid character class name");
        for (int b = 0; b < 256; b++)
          if (class_names[i].test(b)) set_bit(cls, b);
        continue;
      }
    } else {
      lo = c;
      pos++;
    }
    /* A range, unless the '-' is the last thing before ']'. */
    if (pos + 1 < pat_len && pat[pos] == '-' && pat[pos + 1] != ']') {
      int hi = (unsigned char)pat[pos + 1];
      pos += 2;
      if (hi == '[' && pos < pat_len && (pat[pos] == '.' || pat[pos] == '=')) {
        if (pos + 3 >= pat_len || pat[pos + 2] != pat[pos] || pat[pos + 3] != ']')
          fail("Invalid range end");
        hi = (unsigned char)pat[pos + 1];
        pos += 4;
      }
      if (hi < lo) fail("Invalid range end");
      for (int b = lo; b <= hi; b++) set_bit(cls, b);
    } else {
      set_bit(cls, lo);
    }
  }
  pos++; /* the ']' */
  /* GNU's warning turned error: "[:space:]" where "[[:space:]]" was meant. */
  if (pos - start >= 4 && pat[start] == ':' && pat[pos - 2] == ':')
    fail("character class syntax is [[:space:]], not [:space:]");
  if (ignore_case)
    for (int b = 0; b < 256; b++)
      if (has_bit(cls, b)) set_bit(cls, tolower(b)), set_bit(cls, toupper(b));
  if (negate) {
    for (int i = 0; i < 32; i++) classes[cls][i] = (unsigned char)~classes[cls][i];
    classes[cls]['\n' >> 3] &= (unsigned char)~(1 << ('\n' & 7));
  }
  return mk(N_OP, OP_CLASS, cls, 0, 0);
}

static int peek(const char *s) { return strncmp(pat + pos, s, strlen(s)) == 0; }
static int at_alt(void) { return extended ? peek("|") : peek("\\|"); }
static int at_close(void) { return extended ? peek(")") : peek("\\)"); }

/* Reads "m", "m,", "m,n" or ",n" and the closing brace; returns 0 if malformed. */
static int interval(int *min, int *max) {
  long lo = 0, hi = -1;
  int digits = 0;
  while (pos < pat_len && isdigit((unsigned char)pat[pos]) && lo <= RE_DUP_MAX + 1)
    lo = lo * 10 + (pat[pos++] - '0'), digits = 1;
  if (pos < pat_len && pat[pos] == ',') {
    pos++;
    if (pos < pat_len && isdigit((unsigned char)pat[pos])) {
      hi = 0;
      while (pos < pat_len && isdigit((unsigned char)pat[pos]) && hi <= RE_DUP_MAX + 1)
        hi = hi * 10 + (pat[pos++] - '0');
    }
  } else {
    if (!digits) return 0;
    hi = lo;
  }
  if (extended ? !peek("}") : !peek("\\}")) return 0;
  pos += extended ? 1 : 2;
  if (lo > RE_DUP_MAX || hi > RE_DUP_MAX) fail("Regular expression too big");
  if (hi >= 0 && hi < lo) fail("Invalid content of \\{\\}");
  *min = (int)lo, *max = (int)hi;
  return 1;
}

static struct node *alternation(int depth);

/* One atom, or 0 at the end of a branch. *anchor is set for ^ and $. */
static struct node *atom(int first, int *anchor) {
  *anchor = 0;
  int c = (unsigned char)pat[pos];
  if (c == '\\') {
    if (pos + 1 >= pat_len) fail("Trailing backslash");
    int e = (unsigned char)pat[pos + 1];
    pos += 2;
    if (!extended && e == '(') {
      struct node *n = alternation(1);
      pos += 2;
      return n ? n : mk(N_EMPTY, 0, 0, 0, 0);
    }
    if (!extended && e == '{' && first) return mk(N_OP, OP_CHAR, '{', 0, 0);
    if (e >= '1' && e <= '9') fail("back-references are not supported");
    switch (e) {
    case 'w': return class_of(is_word, 0);
    case 'W': return class_of(is_word, 1);
    case 's': return class_of(isspace, 0);
    case 'S': return class_of(isspace, 1);
    case 'b': *anchor = 1; return mk(N_OP, OP_WORDB, 0, 0, 0);
    case 'B': *anchor = 1; return mk(N_OP, OP_NWORDB, 0, 0, 0);
    case '<': *anchor = 1; return mk(N_OP, OP_BOW, 0, 0, 0);
    case '>': *anchor = 1; return mk(N_OP, OP_EOW, 0, 0, 0);
    }
    return mk(N_OP, OP_CHAR, e, 0, 0);
  }
  pos++;
  if (c == '[') return bracket();
  if (c == '.') return mk(N_OP, OP_ANY, 0, 0, 0);
  if (c == '^' && (extended || first)) {
    *anchor = 1;
    return mk(N_OP, OP_BOL, 0, 0, 0);
  }
  if (c == '$' && (extended || pos == pat_len || at_close() || at_alt())) {
    *anchor = 1;
    return mk(N_OP, OP_EOL, 0, 0, 0);
  }
  if (extended && c == '(') {
    struct node *n = alternation(1);
    pos += 1;
    return n ? n : mk(N_EMPTY, 0, 0, 0, 0);
  }
  return mk(N_OP, OP_CHAR, c, 0, 0);
}

/* A repetition operator at pos: fills min/max and skips it, or returns 0. */
static int repetition(int *min, int *max) {
  size_t save = pos;
  if (peek("*")) return pos++, *min = 0, *max = -1, 1;
  if (extended ? peek("+") : peek("\\+")) return pos += extended ? 1 : 2, *min = 1, *max = -1, 1;
  if (extended ? peek("?") : peek("\\?")) return pos += extended ? 1 : 2, *min = 0, *max = 1, 1;
  if (extended ? peek("{") : peek("\\{")) {
    pos += extended ? 1 : 2;
    if (interval(min, max)) return 1;
    if (!extended) fail(pos >= pat_len ? "Unmatched \\{" : "Invalid content of \\{\\}");
    pos = save; /* ERE: a '{' that starts no interval is literal */
  }
  return 0;
}

/* A sequence of atoms up to "|", the closing parenthesis, or the end. */
static struct node *branch(int depth) {
  struct node *seq = 0, *last = 0; /* last: the atom a repetition applies to */
  int have_atom = 0, first = 1;
  while (pos < pat_len && !at_alt() && !(depth > 0 && at_close())) {
    int min, max, anchor = 0;
    if (have_atom && repetition(&min, &max)) {
      last = mk(N_REPEAT, 0, 0, last, 0);
      last->min = min, last->max = max;
      continue;
    }
    struct node *n;
    if (depth == 0 && at_close()) {
      if (!extended) fail("Unmatched ) or \\)");
      n = mk(N_OP, OP_CHAR, (unsigned char)pat[pos++], 0, 0); /* ERE: a lone ')' */
    } else if (!have_atom && strchr(extended ? "*+?{" : "*", pat[pos])) {
      n = mk(N_OP, OP_CHAR, (unsigned char)pat[pos++], 0, 0); /* leading: literal */
    } else {
      n = atom(first, &anchor);
    }
    seq = cat(seq, last);
    last = n;
    have_atom = !anchor || extended, first = 0; /* ERE: "^*" repeats the anchor */
  }
  seq = cat(seq, last);
  return seq ? seq : mk(N_EMPTY, 0, 0, 0, 0);
}

static struct node *alternation(int depth) {
  struct node *n = branch(depth);
  while (at_alt()) {
    pos += extended ? 1 : 2;
    n = mk(N_ALT, 0, 0, n, branch(depth));
  }
  if (depth > 0 && !at_close()) fail("Unmatched ( or \\(");
  return n;
}

static int emit(struct prog *p, int op, int x, int y) {
  if (p->len == p->cap) {
    if (p->len >= MAX_PROG) fail("Regular expression too big");
    p->cap = p->cap ? p->cap * 2 : 64;
    p->code = realloc(p->code, (size_t)p->cap * sizeof *p->code);
    if (!p->code) fail("memory exhausted");
  }
  p->code[p->len] = (struct inst){op, x, y};
  return p->len++;
}

static void gen(struct prog *p, struct node *n) {
  switch (n->kind) {
  case N_EMPTY: break;
  case N_OP:
    if (n->op == OP_CHAR && ignore_case && tolower(n->arg) != toupper(n->arg)) {
      int cls = new_class();
      set_bit(cls, tolower(n->arg));
      set_bit(cls, toupper(n->arg));
      emit(p, OP_CLASS, cls, 0);
    } else {
      emit(p, n->op, n->arg, 0);
    }
    break;
  case N_CAT: gen(p, n->a); gen(p, n->b); break;
  case N_ALT: {
    int split = emit(p, OP_SPLIT, 0, 0);
    p->code[split].x = p->len;
    gen(p, n->a);
    int jmp = emit(p, OP_JMP, 0, 0);
    p->code[split].y = p->len;
    gen(p, n->b);
    p->code[jmp].x = p->len;
    break;
  }
  case N_REPEAT: {
    for (int i = 0; i < n->min; i++) gen(p, n->a);
    if (n->max < 0) {
      int split = emit(p, OP_SPLIT, 0, 0);
      p->code[split].x = p->len;
      gen(p, n->a);
      emit(p, OP_JMP, split, 0);
      p->code[split].y = p->len;
    } else {
      /* Optional copies, each able to skip to the end. */
      int count = n->max - n->min;
      int *splits = xmalloc((size_t)count * sizeof *splits);
      for (int i = 0; i < count; i++) {
        splits[i] = emit(p, OP_SPLIT, 0, 0);
        p->code[splits[i]].x = p->len;
        gen(p, n->a);
      }
      for (int i = 0; i < count; i++) p->code[splits[i]].y = p->len;
      free(splits);
    }
    break;
  }
  }
}

/* Compiles one pattern (a line of a PATTERN argument). */
static void compile(struct prog *p, const char *s, size_t len) {
  struct node *n = 0;
  if (fixed) {
    for (size_t i = 0; i < len; i++) n = cat(n, mk(N_OP, OP_CHAR, (unsigned char)s[i], 0, 0));
    if (!n) n = mk(N_EMPTY, 0, 0, 0, 0);
  } else {
    pat = s, pat_len = len, pos = 0;
    n = alternation(0);
  }
  if (whole_line) emit(p, OP_BOL, 0, 0);
  if (word) emit(p, OP_NOWORD_BEFORE, 0, 0);
  gen(p, n);
  if (word) emit(p, OP_NOWORD_AFTER, 0, 0);
  if (whole_line) emit(p, OP_EOL, 0, 0);
  emit(p, OP_MATCH, 0, 0);
}

/* ---- Matching ------------------------------------------------------------ */

static unsigned char *tried; /* bit per (instruction, position) */
static size_t tried_size;
static int *stack; /* pending (instruction, position) pairs */
static size_t stack_cap;

static int word_at(const char *s, size_t n, size_t i) {
  return i < n && is_word((unsigned char)s[i]);
}

static int run(const struct prog *p, const char *s, size_t n) {
  size_t bits = (size_t)p->len * (n + 1), bytes = bits / 8 + 1;
  if (bytes > tried_size) {
    free(tried);
    tried = xmalloc(bytes);
    tried_size = bytes;
  }
  memset(tried, 0, bytes);
  for (size_t start = 0; start <= n; start++) {
    if (p->code[0].op == OP_CHAR) { /* jump to where the first byte is */
      const char *q = memchr(s + start, p->code[0].x, n - start);
      if (!q) break;
      start = (size_t)(q - s);
    }
    size_t top = 0;
    int pc = 0;
    size_t sp = start;
    for (;;) {
      size_t bit = (size_t)pc * (n + 1) + sp;
      int ok = 0;
      if (!(tried[bit >> 3] >> (bit & 7) & 1)) {
        tried[bit >> 3] |= (unsigned char)(1 << (bit & 7));
        const struct inst *in = &p->code[pc];
        int c = sp < n ? (unsigned char)s[sp] : -1;
        int before = sp > 0 && word_at(s, n, sp - 1), after = word_at(s, n, sp);
        ok = 1;
        switch (in->op) {
        case OP_CHAR: ok = c == in->x, sp++; break;
        case OP_ANY: ok = c >= 0, sp++; break;
        case OP_CLASS: ok = c >= 0 && has_bit(in->x, c), sp++; break;
        case OP_BOL: ok = sp == 0; break;
        case OP_EOL: ok = sp == n; break;
        case OP_WORDB: ok = before != after; break;
        case OP_NWORDB: ok = before == after; break;
        case OP_BOW: ok = !before && after; break;
        case OP_EOW: ok = before && !after; break;
        case OP_NOWORD_BEFORE: ok = !before; break;
        case OP_NOWORD_AFTER: ok = !after; break;
        case OP_JMP: pc = in->x; continue;
        case OP_SPLIT:
          if (top + 2 > stack_cap) {
            stack_cap = stack_cap ? stack_cap * 2 : 256;
            stack = realloc(stack, stack_cap * sizeof *stack);
            if (!stack) fail("memory exhausted");
          }
          stack[top++] = in->y;
          stack[top++] = (int)sp;
          pc = in->x;
          continue;
        case OP_MATCH: return 1;
        }
        if (ok) {
          pc++;
          continue;
        }
      }
      if (top == 0) break;
      sp = (size_t)stack[--top];
      pc = stack[--top];
    }
    if (p->code[0].op == OP_BOL) break; /* anchored: only start 0 can match */
  }
  return 0;
}

/* ---- Files and output ---------------------------------------------------- */

static struct prog *progs;
static int nprogs;
static int invert, line_numbers, count_only, list_files, quiet, no_messages, recursive;
static int with_names = -1; /* -1: decide from the operands */
static int status = 1, errors;

static int line_matches(const char *s, size_t n) {
  for (int i = 0; i < nprogs; i++)
    if (run(&progs[i], s, n)) return 1;
  return 0;
}

static void file_error(const char *name) {
  fflush(stdout);
  if (!no_messages) fprintf(stderr, "grep: %s: %s\n", name, strerror(errno));
  errors = 1;
}

static void grep_stream(FILE *f, const char *name) {
  char *line = 0;
  size_t cap = 0;
  ssize_t len;
  long long number = 0, count = 0;
  while ((len = getline(&line, &cap, f)) > 0) {
    number++;
    size_t n = (size_t)len;
    if (line[n - 1] == '\n') n--;
    if (line_matches(line, n) == invert) continue;
    count++;
    status = 0;
    if (quiet) exit(0);
    if (list_files) break;
    if (count_only) continue;
    if (with_names) printf("%s:", name);
    if (line_numbers) printf("%lld:", number);
    fwrite(line, 1, n, stdout);
    putchar('\n');
  }
  if (ferror(f)) file_error(name);
  free(line);
  if (count_only && !list_files) {
    if (with_names) printf("%s:", name);
    printf("%lld\n", count);
  }
  if (list_files && count) printf("%s\n", name);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* path is shown to the user; recursion joins names onto it (shown is "" for
 * the implicit "." of -r with no FILE, whose entries are shown bare). */
static void grep_path(const char *path, const char *shown) {
  struct stat st;
  if (strcmp(path, "-") == 0) {
    grep_stream(stdin, "(standard input)");
    return;
  }
  if (stat(path, &st) < 0) {
    file_error(shown);
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    if (!recursive) {
      fflush(stdout);
      if (!no_messages) fprintf(stderr, "grep: %s: Is a directory\n", shown);
      errors = 1;
      return;
    }
    DIR *d = opendir(path);
    if (!d) {
      file_error(shown);
      return;
    }
    char **names = 0;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      if (count == cap) {
        cap = cap ? cap * 2 : 16;
        names = realloc(names, cap * sizeof *names);
        if (!names) fail("memory exhausted");
      }
      names[count] = strdup(e->d_name);
      if (!names[count]) fail("memory exhausted");
      count++;
    }
    closedir(d);
    qsort(names, count, sizeof *names, by_name);
    char child[PATH_MAX], child_shown[PATH_MAX];
    for (size_t i = 0; i < count; i++) {
      const char *sep = path[strlen(path) - 1] == '/' ? "" : "/";
      if (snprintf(child, sizeof child, "%s%s%s", path, sep, names[i]) >= (int)sizeof child) {
        errno = ENAMETOOLONG;
        file_error(child);
      } else {
        /* Symbolic links inside the tree are not followed (GNU -r). */
        struct stat ls;
        if (lstat(child, &ls) == 0 && S_ISLNK(ls.st_mode)) {
          free(names[i]);
          continue;
        }
        snprintf(child_shown, sizeof child_shown, "%s%s%s", shown, *shown ? sep : "", names[i]);
        grep_path(child, child_shown);
      }
      free(names[i]);
    }
    free(names);
    return;
  }
  FILE *f = fopen(path, "r");
  if (!f) {
    file_error(shown);
    return;
  }
  grep_stream(f, shown);
  fclose(f);
}

/* Adds each line of a PATTERN argument. */
static char **patterns;
static int npatterns;

static void add_patterns(const char *arg) {
  for (;;) {
    const char *nl = strchr(arg, '\n');
    size_t len = nl ? (size_t)(nl - arg) : strlen(arg);
    patterns = realloc(patterns, (size_t)(npatterns + 1) * sizeof *patterns);
    if (!patterns) fail("memory exhausted");
    patterns[npatterns] = xmalloc(len + 1);
    memcpy(patterns[npatterns], arg, len);
    patterns[npatterns++][len] = 0;
    if (!nl) break;
    arg = nl + 1;
  }
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt, have_e = 0;
  while ((opt = getopt(argc, argv, "EFGivwxnclqshHrRe:")) != -1) {
    switch (opt) {
    case 'E': extended = 1, fixed = 0; break;
    case 'F': fixed = 1, extended = 0; break;
    case 'G': fixed = extended = 0; break;
    case 'i': ignore_case = 1; break;
    case 'v': invert = 1; break;
    case 'w': word = 1; break;
    case 'x': whole_line = 1; break;
    case 'n': line_numbers = 1; break;
    case 'c': count_only = 1; break;
    case 'l': list_files = 1; break;
    case 'q': quiet = 1; break;
    case 's': no_messages = 1; break;
    case 'h': with_names = 0; break;
    case 'H': with_names = 1; break;
    case 'r': case 'R': recursive = 1; break;
    case 'e': add_patterns(optarg), have_e = 1; break;
    default:
      fprintf(stderr, "Usage: grep [OPTION]... PATTERNS [FILE]...\n");
      return 2;
    }
  }
  if (!have_e) {
    if (optind >= argc) {
      fprintf(stderr, "Usage: grep [OPTION]... PATTERNS [FILE]...\n");
      return 2;
    }
    add_patterns(argv[optind++]);
  }
  progs = xmalloc((size_t)npatterns * sizeof *progs);
  for (int i = 0; i < npatterns; i++) {
    progs[nprogs] = (struct prog){0, 0, 0};
    compile(&progs[nprogs++], patterns[i], strlen(patterns[i]));
  }
  int nfiles = argc - optind;
  if (with_names < 0) {
    with_names = nfiles > 1;
    for (int i = optind; recursive && !with_names && i < argc; i++) {
      struct stat st;
      if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) with_names = 1;
    }
    if (recursive && nfiles == 0) with_names = 1;
  }
  if (nfiles == 0) {
    if (recursive) grep_path(".", "");
    else grep_stream(stdin, "(standard input)");
  }
  for (int i = optind; i < argc; i++) grep_path(argv[i], argv[i]);
  if (fflush(stdout)) errors = 1;
  return errors && !(quiet && status == 0) ? 2 : status;
}
