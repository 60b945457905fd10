/* uniq [-c] [-d] [-u] [-i] [INPUT [OUTPUT]]: copy INPUT (stdin if absent or
 * "-") to OUTPUT (stdout if absent or "-"), writing one line per run of
 * adjacent equal lines. -c prefixes each with its count ("%7d "), -d prints
 * only runs of two or more, -u only single lines, -i compares ignoring case. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "help.h"

static const char usage_text[] =
    "Usage: uniq [OPTION]... [INPUT [OUTPUT]]\n"
    "Filter adjacent matching lines from INPUT (or standard input),\n"
    "writing to OUTPUT (or standard output).\n"
    "\n"
    "  -c, --count           prefix lines by the number of occurrences\n"
    "  -d, --repeated        only print duplicate lines, one for each group\n"
    "  -i, --ignore-case     ignore differences in case when comparing\n"
    "  -u, --unique          only print unique lines\n"
    "      --help        display this help and exit\n";


static int show_count, only_dups, only_uniq, ignore_case;

/* Lines are compared without their trailing newline. */
static int same(const char *a, size_t alen, const char *b, size_t blen) {
  if (alen > 0 && a[alen - 1] == '\n') alen--;
  if (blen > 0 && b[blen - 1] == '\n') blen--;
  if (alen != blen) return 0;
  if (!ignore_case) return memcmp(a, b, alen) == 0;
  for (size_t i = 0; i < alen; i++) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x += 'a' - 'A';
    if (y >= 'A' && y <= 'Z') y += 'a' - 'A';
    if (x != y) return 0;
  }
  return 1;
}

static void emit(FILE *out, const char *line, size_t len, long count) {
  if ((only_dups && count < 2) || (only_uniq && count > 1)) return;
  if (show_count) fprintf(out, "%7ld ", count);
  fwrite(line, 1, len, out);
  if (len == 0 || line[len - 1] != '\n') fputc('\n', out);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt;
  while ((opt = getopt(argc, argv, "cdui")) != -1) {
    if (opt == 'c') show_count = 1;
    else if (opt == 'd') only_dups = 1;
    else if (opt == 'u') only_uniq = 1;
    else if (opt == 'i') ignore_case = 1;
    else {
      fprintf(stderr, "usage: uniq [-cdui] [INPUT [OUTPUT]]\n");
      return 1;
    }
  }
  if (argc - optind > 2) {
    fprintf(stderr, "uniq: extra operand '%s'\n", argv[optind + 2]);
    return 1;
  }
  const char *in_name = optind < argc ? argv[optind] : "-";
  const char *out_name = optind + 1 < argc ? argv[optind + 1] : "-";
  FILE *in = stdin, *out = stdout;
  if (strcmp(in_name, "-") != 0 && !(in = fopen(in_name, "r"))) {
    fprintf(stderr, "uniq: %s: %s\n", in_name, strerror(errno));
    return 1;
  }
  if (strcmp(out_name, "-") != 0 && !(out = fopen(out_name, "w"))) {
    fprintf(stderr, "uniq: %s: %s\n", out_name, strerror(errno));
    return 1;
  }

  char *prev = NULL, *cur = NULL;
  size_t prev_cap = 0, cur_cap = 0, prev_len = 0;
  long count = 0;
  ssize_t n;
  while ((n = getline(&cur, &cur_cap, in)) >= 0) {
    if (count > 0 && same(prev, prev_len, cur, (size_t)n)) {
      count++;
      continue;
    }
    if (count > 0) emit(out, prev, prev_len, count);
    /* The current line becomes the start of a new run. */
    char *tmp = prev;
    size_t tmp_cap = prev_cap;
    prev = cur, prev_cap = cur_cap, prev_len = (size_t)n;
    cur = tmp, cur_cap = tmp_cap;
    count = 1;
  }
  if (count > 0) emit(out, prev, prev_len, count);
  free(prev);
  free(cur);
  int status = 0;
  if (ferror(in)) {
    fprintf(stderr, "uniq: %s: %s\n", in_name, strerror(errno));
    status = 1;
  }
  if (fflush(out) != 0 || (out != stdout && fclose(out) != 0)) {
    fprintf(stderr, "uniq: write error: %s\n", strerror(errno));
    status = 1;
  }
  return status;
}
