/* diff [-u | -U N] [-q] [-L LABEL]... FILE1 FILE2: compares two files line by
 * line, as GNU diff: the normal format ("2c2", "< old", "---", "> new") by
 * default, the unified format with -u (3 lines of context) or -U N, headers
 * "--- NAME<TAB>YYYY-MM-DD HH:MM:SS.NNNNNNNNN +0000" (or the -L labels), and
 * "\ No newline at end of file" where a last line has none. -q only says
 * whether the files differ. "-" is standard input. Files containing a NUL
 * byte are compared as binary ("Binary files A and B differ"). Status 0 when
 * the files are the same, 1 when they differ, 2 on trouble.
 *
 * The edit script is Myers' O(ND) shortest one (greedy forward search, one V
 * array kept per D for the walk back); equal-length alternatives may be
 * chosen differently from GNU diff's, which also looks for the shortest. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: diff [OPTION]... FILE1 FILE2\n"
    "Compare FILES line by line.\n"
    "\n"
    "  -q, --brief                   report only when files differ\n"
    "  -u, -U NUM, --unified[=NUM]   output NUM (default 3) lines of unified context\n"
    "  -L, --label LABEL             use LABEL instead of file name and timestamp\n"
    "                                  (can be repeated)\n"
    "      --help               display this help and exit\n"
    "\n"
    "If a FILE is '-', read standard input.\n"
    "Exit status is 0 if inputs are the same, 1 if different, 2 if trouble.\n";

struct line {
  const char *s;
  size_t len; /* without the newline */
  unsigned hash;
  int nl; /* ends in a newline */
};

struct file {
  const char *name;
  char *data;
  size_t size;
  struct line *lines;
  int n;
  struct stat st;
};

static int read_file(struct file *f) {
  int fd = strcmp(f->name, "-") == 0 ? 0 : open(f->name, O_RDONLY);
  if (fd < 0 || fstat(fd, &f->st) < 0) {
    fprintf(stderr, "diff: %s: %s\n", f->name, strerror(errno));
    return -1;
  }
  if (S_ISDIR(f->st.st_mode)) {
    fprintf(stderr, "diff: %s: Is a directory\n", f->name);
    return -1;
  }
  size_t cap = 4096;
  f->data = malloc(cap);
  for (;;) {
    if (!f->data) return -1;
    if (f->size == cap) f->data = realloc(f->data, cap *= 2);
    if (!f->data) return -1;
    ssize_t n = read(fd, f->data + f->size, cap - f->size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      fprintf(stderr, "diff: %s: %s\n", f->name, strerror(errno));
      return -1;
    }
    if (n == 0) break;
    f->size += (size_t)n;
  }
  if (fd) close(fd);
  int cap_lines = 64;
  f->lines = malloc((size_t)cap_lines * sizeof *f->lines);
  for (size_t i = 0; i < f->size;) {
    if (f->n == cap_lines) f->lines = realloc(f->lines, (size_t)(cap_lines *= 2) * sizeof *f->lines);
    if (!f->lines) return -1;
    const char *nl = memchr(f->data + i, '\n', f->size - i);
    size_t len = nl ? (size_t)(nl - (f->data + i)) : f->size - i;
    struct line *l = &f->lines[f->n++];
    l->s = f->data + i;
    l->len = len;
    l->nl = nl != NULL;
    unsigned h = 2166136261u;
    for (size_t k = 0; k < len; k++) h = (h ^ (unsigned char)l->s[k]) * 16777619u;
    l->hash = h;
    i += len + (nl ? 1 : 0);
  }
  return 0;
}

static struct file A, B;

static int same(int i, int j) {
  const struct line *a = &A.lines[i], *b = &B.lines[j];
  return a->hash == b->hash && a->len == b->len && a->nl == b->nl && memcmp(a->s, b->s, a->len) == 0;
}

/* ---- Myers ---- */

/* kept[i]: line i of A is kept (in the LCS) ; same for B. */
static char *keptA, *keptB;

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    fprintf(stderr, "diff: memory exhausted\n");
    exit(2);
  }
  return p;
}

static void shortest_edit(void) {
  int n = A.n, m = B.n, max = n + m, off = max + 1, found = -1;
  keptA = xcalloc((size_t)n + 1, 1);
  keptB = xcalloc((size_t)m + 1, 1);
  int *v = xcalloc((size_t)(2 * max + 3), sizeof(int));
  int **trace = xcalloc((size_t)max + 1, sizeof(int *)); /* trace[d][k + d]: v after round d */
  for (int d = 0; d <= max && found < 0; d++) {
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1]
                                                                        : v[off + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && same(x, y)) x++, y++;
      v[off + k] = x;
      if (x >= n && y >= m) found = d;
    }
    trace[d] = xcalloc((size_t)(2 * d + 1), sizeof(int));
    memcpy(trace[d], v + off - d, (size_t)(2 * d + 1) * sizeof(int));
  }
  /* Walk back from (n, m): each round is one edit preceded by a diagonal run. */
  int x = n, y = m;
  for (int d = found; d > 0; d--) {
    int *prev = trace[d - 1], k = x - y;
    int down = k == -d || (k != d && prev[k - 1 + d - 1] < prev[k + 1 + d - 1]);
    int pk = down ? k + 1 : k - 1;
    int px = prev[pk + d - 1], py = px - pk;
    int sx = down ? px : px + 1; /* where the diagonal run of round d starts */
    while (x > sx && y > sx - k) keptA[--x] = 1, keptB[--y] = 1;
    x = px, y = py;
  }
  while (x > 0 && y > 0) keptA[--x] = 1, keptB[--y] = 1;
  for (int d = 0; d <= found; d++) free(trace[d]);
  free(trace);
  free(v);
}

/* ---- output ---- */

struct change {
  int a, na, b, nb; /* A lines [a, a+na) replaced by B lines [b, b+nb) */
};

static struct change *changes;
static int nchanges;

static void collect_changes(void) {
  changes = malloc(((size_t)A.n + (size_t)B.n + 1) * sizeof *changes);
  int i = 0, j = 0;
  while (i < A.n || j < B.n) {
    if (i < A.n && j < B.n && keptA[i] && keptB[j]) {
      i++, j++;
      continue;
    }
    struct change c = {i, 0, j, 0};
    while (i < A.n && !keptA[i]) i++, c.na++;
    while (j < B.n && !keptB[j]) j++, c.nb++;
    changes[nchanges++] = c;
  }
}

static void put_line(char prefix, const struct line *l) {
  if (prefix) putchar(prefix);
  fwrite(l->s, 1, l->len, stdout);
  putchar('\n');
  if (!l->nl) fputs("\\ No newline at end of file\n", stdout);
}

static void range(int start, int count) {
  if (count <= 1) printf("%d", start + count);
  else printf("%d,%d", start + 1, start + count);
}

static void normal_format(void) {
  for (int c = 0; c < nchanges; c++) {
    struct change *ch = &changes[c];
    range(ch->a, ch->na);
    putchar(ch->na && ch->nb ? 'c' : ch->na ? 'd' : 'a');
    range(ch->b, ch->nb);
    putchar('\n');
    for (int i = 0; i < ch->na; i++) {
      fputs("< ", stdout);
      put_line(0, &A.lines[ch->a + i]);
    }
    if (ch->na && ch->nb) fputs("---\n", stdout);
    for (int i = 0; i < ch->nb; i++) {
      fputs("> ", stdout);
      put_line(0, &B.lines[ch->b + i]);
    }
  }
}

static void header(const char *mark, const struct file *f, const char *label) {
  if (label) {
    printf("%s %s\n", mark, label);
    return;
  }
  struct tm tm;
  time_t t = f->st.st_mtim.tv_sec;
  long ns = f->st.st_mtim.tv_nsec;
  if (strcmp(f->name, "-") == 0) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    t = now.tv_sec, ns = now.tv_nsec;
  }
  char when[64];
  localtime_r(&t, &tm);
  strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  char zone[16];
  strftime(zone, sizeof zone, "%z", &tm);
  printf("%s %s\t%s.%09ld %s\n", mark, f->name, when, ns, zone);
}

static void hunk_range(int start, int count) {
  if (count == 1) printf("%d", start + 1);
  else printf("%d,%d", count ? start + 1 : start, count);
}

static void unified_format(int context, const char *label1, const char *label2) {
  header("---", &A, label1);
  header("+++", &B, label2);
  for (int c = 0; c < nchanges;) {
    /* A hunk: changes whose gaps are at most 2 * context common lines. */
    int last = c;
    while (last + 1 < nchanges &&
           changes[last + 1].a - (changes[last].a + changes[last].na) <= 2 * context)
      last++;
    int a0 = changes[c].a - context, b0 = changes[c].b - context;
    if (a0 < 0) b0 -= a0, a0 = 0;
    if (b0 < 0) a0 -= b0, b0 = 0;
    int a1 = changes[last].a + changes[last].na + context;
    if (a1 > A.n) a1 = A.n;
    int b1 = changes[last].b + changes[last].nb + (a1 - (changes[last].a + changes[last].na));
    if (b1 > B.n) {
      a1 -= b1 - B.n;
      b1 = B.n;
    }
    printf("@@ -");
    hunk_range(a0, a1 - a0);
    printf(" +");
    hunk_range(b0, b1 - b0);
    printf(" @@\n");
    int i = a0;
    for (int k = c; k <= last; k++) {
      struct change *ch = &changes[k];
      for (; i < ch->a; i++) put_line(' ', &A.lines[i]);
      for (int x = 0; x < ch->na; x++) put_line('-', &A.lines[ch->a + x]);
      for (int x = 0; x < ch->nb; x++) put_line('+', &B.lines[ch->b + x]);
      i = ch->a + ch->na;
    }
    for (; i < a1; i++) put_line(' ', &A.lines[i]);
    c = last + 1;
  }
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int context = -1, brief = 0, nfiles = 0;
  const char *labels[2] = {NULL, NULL}, *files[2];
  int nlabels = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' || !a[1]) {
      if (nfiles < 2) files[nfiles] = a;
      nfiles++;
    } else if (!strcmp(a, "-u") || !strcmp(a, "--unified")) {
      context = 3;
    } else if (!strncmp(a, "--unified=", 10) || !strncmp(a, "-U", 2)) {
      const char *n = a[1] == 'U' ? (a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : "")) : a + 10;
      char *end;
      long v = strtol(n, &end, 10);
      if (!*n || *end || v < 0) {
        fprintf(stderr, "diff: invalid context length '%s'\n", n);
        return 2;
      }
      context = (int)v;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--brief")) {
      brief = 1;
    } else if (!strcmp(a, "-L") || !strcmp(a, "--label")) {
      if (i + 1 >= argc) {
        fprintf(stderr, "diff: option requires an argument -- 'L'\n");
        return 2;
      }
      if (nlabels < 2) labels[nlabels++] = argv[++i];
    } else if (!strncmp(a, "--label=", 8)) {
      if (nlabels < 2) labels[nlabels++] = a + 8;
    } else {
      fprintf(stderr, "diff: invalid option -- '%s'\ndiff: Try 'diff --help' for more information.\n", a + 1);
      return 2;
    }
  }
  if (nfiles != 2) {
    if (nfiles < 2) fprintf(stderr, "diff: missing operand after '%s'\n", argv[argc - 1]);
    else fprintf(stderr, "diff: extra operand '%s'\n", files[1]);
    fprintf(stderr, "diff: Try 'diff --help' for more information.\n");
    return 2;
  }
  A.name = files[0];
  B.name = files[1];
  if (read_file(&A) < 0 || read_file(&B) < 0) return 2;
  int differ = A.size != B.size || memcmp(A.data, B.data, A.size) != 0;
  if (!differ) return 0;
  if (brief || memchr(A.data, 0, A.size) || memchr(B.data, 0, B.size)) {
    printf(brief ? "Files %s and %s differ\n" : "Binary files %s and %s differ\n",
           labels[0] ? labels[0] : A.name, labels[1] ? labels[1] : B.name);
    return 1;
  }
  shortest_edit();
  collect_changes();
  if (context >= 0) unified_format(context, labels[0], labels[1]);
  else normal_format();
  return fflush(stdout) == 0 ? 1 : 2;
}
