/* Strata sh: command history for interactive shells.
 *
 * Lines typed at an interactive prompt are kept in memory (the newest
 * HISTORY_MAX) and appended to $HISTFILE (default $HOME/.sh_history) as they
 * are entered, so the file survives a shell that is killed. The file is read
 * when the first line is added or browsed. The `history` builtin lists the
 * entries numbered from 1, as bash does, and history_expand() gives the `!`
 * events: `!!`, `!N`, `!-N` and `!PREFIX`. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

#define HISTORY_MAX 1000

char history_error_marker;

static char *entries[HISTORY_MAX];
static int count, first_number = 1, loaded;

static void push(const char *line, size_t n) {
  char *copy = strndup(line, n);
  if (!copy) return;
  if (count == HISTORY_MAX) {
    free(entries[0]);
    memmove(entries, entries + 1, (HISTORY_MAX - 1) * sizeof(char *));
    count--;
    first_number++;
  }
  entries[count++] = copy;
}

/* $HISTFILE, else $HOME/.sh_history (in the arena); NULL if neither is set. */
static const char *history_file(void) {
  const char *f = var_get("HISTFILE");
  if (f) return *f ? f : NULL;
  const char *home = var_get("HOME");
  if (!home || !*home) return NULL;
  size_t n = strlen(home);
  return arena_concat3(home, n && home[n - 1] == '/' ? "" : "/", ".sh_history");
}

void history_init(void) {
  if (loaded) return;
  loaded = 1;
  const char *path = history_file();
  if (!path) return;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  char buf[1024], line[4096];
  size_t ll = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < n; i++) {
      if (buf[i] == '\n') {
        if (ll) push(line, ll);
        ll = 0;
      } else if (ll < sizeof line) {
        line[ll++] = buf[i];
      }
    }
  }
  if (ll) push(line, ll);
  close(fd);
}

void history_add(const char *line) {
  history_init();
  size_t n = strlen(line);
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' ' || line[n - 1] == '\t')) n--;
  size_t lead = 0;
  while (lead < n && (line[lead] == ' ' || line[lead] == '\t')) lead++;
  if (lead == n) return;
  push(line, n);
  const char *path = history_file();
  if (!path) return;
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;
  char *rec = arena_strndup(line, n + 1);
  rec[n] = '\n';
  ssize_t w = write(fd, rec, n + 1);
  (void)w;
  close(fd);
}

int history_count(void) {
  history_init();
  return count;
}

const char *history_get(int i) { return i >= 0 && i < count ? entries[i] : ""; }

int builtin_history(int argc, char **argv) {
  (void)argv;
  if (argc > 1) {
    sh_error("history", "usage: history");
    return 2;
  }
  history_init();
  for (int i = 0; i < count; i++) {
    char num[24], pad[8] = "     ";
    num_to_str(first_number + i, num);
    size_t l = strlen(num);
    pad[l < 5 ? 5 - l : 0] = 0;
    out_str(1, arena_concat3(pad, num, "  "));
    out_str(1, entries[i]);
    out_str(1, "\n");
  }
  return 0;
}

/* The entry an event after `!` names; *len gets the event's length. NULL if none. */
static const char *find_event(const char *s, size_t *len) {
  if (s[0] == '!') {
    *len = 1;
    return count ? entries[count - 1] : NULL;
  }
  size_t i = 0;
  int neg = s[0] == '-';
  if (neg) i++;
  if (s[i] >= '0' && s[i] <= '9') {
    long n = 0;
    while (s[i] >= '0' && s[i] <= '9') n = n * 10 + (s[i++] - '0');
    *len = i;
    long idx = neg ? count - n : n - first_number;
    return idx >= 0 && idx < count && n > 0 ? entries[idx] : NULL;
  }
  while (s[i] && !strchr(" \t\n;&|<>()'\"", s[i])) i++;
  *len = i;
  for (int k = count - 1; k >= 0; k--)
    if (strncmp(entries[k], s, i) == 0) return entries[k];
  return NULL;
}

char *history_expand(const char *line) {
  history_init();
  char *out = NULL;
  size_t olen = 0, ocap = 0;
  int quoted = 0, changed = 0;
  for (size_t i = 0; line[i];) {
    char c = line[i];
    size_t elen = 0;
    const char *ev = NULL;
    int is_event = 0;
    if (c == '\'') quoted = !quoted;
    if (c == '!' && i > 0 && line[i - 1] == '\\') {
      /* \! is a literal ! (the backslash goes later, as any quoting) */
    } else if (c == '!' && !quoted && line[i + 1] && !strchr(" \t\n=()\"';&|<>", line[i + 1])) {
      is_event = 1;
      ev = find_event(line + i + 1, &elen);
      if (!ev) {
        size_t l = elen + 1;
        char *what = arena_strndup(line + i, l);
        sh_error(what, "event not found");
        return HISTORY_ERROR;
      }
    }
    const char *piece = is_event ? ev : &line[i];
    size_t plen = is_event ? strlen(ev) : 1;
    if (olen + plen + 1 > ocap) {
      size_t cap = ocap ? ocap * 2 : 256;
      while (cap < olen + plen + 1) cap *= 2;
      char *n = arena_alloc(cap);
      if (olen) memcpy(n, out, olen);
      out = n;
      ocap = cap;
    }
    memcpy(out + olen, piece, plen);
    olen += plen;
    if (is_event) {
      changed = 1;
      i += elen + 1;
    } else {
      i++;
    }
  }
  if (!changed) return NULL;
  out[olen] = 0;
  return out;
}
