/* Strata sh: interactive line editing, in the manner of readline/libedit.
 *
 * lineedit_read() puts the terminal (fd 0) in raw mode (no ICANON, ECHO, ISIG
 * or IEXTEN; output processing stays on), reads keys one byte at a time and
 * redraws the line itself, then restores the terminal's settings before it
 * returns, so commands always run in the mode the shell found.
 *
 *   keys      -> handle_key()   (emacs-style bindings, escape sequences)
 *   the line  -> struct editor  (bytes; the cursor never splits a UTF-8 char)
 *   screen    -> refresh()      (redraws prompt tail + line, wrap-aware)
 *   history   -> history.c,  Tab -> complete.c
 *
 * Escape sequences (ESC [ ... final, ESC O x, ESC x) are read completely;
 * those not bound to an action are dropped, never inserted or echoed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "sh.h"

#define LE_MAX 4096

struct editor {
  char buf[LE_MAX];
  size_t len, pos;
  const char *prompt_full;
  const char *prompt; /* the part of the prompt on the last screen row */
  int prompt_w;
  int cols;
  int cur_row;    /* cursor row, relative to the prompt's row, as last drawn */
  int hist_index; /* history entry shown (history_count(): the line being typed) */
  char *saved;    /* the line being typed, while browsing history */
  int tabs;       /* consecutive Tab presses */
};

static char yank_buf[LE_MAX];
static size_t yank_len;

/* ---- output ---- */

static char obuf[LE_MAX * 2 + 256];
static size_t olen;

static void flush_out(void) {
  size_t off = 0;
  while (off < olen) {
    ssize_t w = write(2, obuf + off, olen - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    off += (size_t)w;
  }
  olen = 0;
}

static void emit(const char *s, size_t n) {
  if (olen + n > sizeof obuf) flush_out();
  if (n > sizeof obuf) n = sizeof obuf;
  memcpy(obuf + olen, s, n);
  olen += n;
}

static void emit_str(const char *s) { emit(s, strlen(s)); }

/* ESC [ n c (cursor motion). */
static void emit_csi(int n, char c) {
  char tmp[24];
  tmp[0] = '\x1b';
  tmp[1] = '[';
  num_to_str(n, tmp + 2);
  size_t l = strlen(tmp);
  tmp[l] = c;
  emit(tmp, l + 1);
}

/* ---- UTF-8 ---- */

static int is_cont(unsigned char c) { return (c & 0xc0) == 0x80; }

/* Columns of s[0..n): one per character, continuation bytes take none. */
static int text_width(const char *s, size_t n) {
  int w = 0;
  for (size_t i = 0; i < n; i++)
    if (!is_cont((unsigned char)s[i])) w++;
  return w;
}

static size_t prev_char(const struct editor *e, size_t i) {
  if (i == 0) return 0;
  i--;
  while (i > 0 && is_cont((unsigned char)e->buf[i])) i--;
  return i;
}

static size_t next_char(const struct editor *e, size_t i) {
  if (i >= e->len) return e->len;
  i++;
  while (i < e->len && is_cont((unsigned char)e->buf[i])) i++;
  return i;
}

/* ---- drawing ---- */

static void refresh(struct editor *e) {
  if (e->cur_row > 0) emit_csi(e->cur_row, 'A');
  emit_str("\r");
  emit_str(e->prompt);
  emit(e->buf, e->len);
  emit_str("\x1b[J");
  int total = e->prompt_w + text_width(e->buf, e->len);
  int at = e->prompt_w + text_width(e->buf, e->pos);
  /* At the exact end of a row the terminal waits to wrap: move on explicitly. */
  if (total > 0 && total % e->cols == 0) emit_str("\r\n");
  int end_row = total / e->cols, at_row = at / e->cols, at_col = at % e->cols;
  if (end_row > at_row) emit_csi(end_row - at_row, 'A');
  emit_str("\r");
  if (at_col) emit_csi(at_col, 'C');
  e->cur_row = at_row;
  flush_out();
}

/* Puts the cursor after the line (before printing below it). */
static void move_to_end(struct editor *e) {
  if (e->pos == e->len) return;
  e->pos = e->len;
  refresh(e);
}

/* ---- editing ---- */

static void insert(struct editor *e, const char *s, size_t n) {
  if (e->len + n >= LE_MAX) return;
  memmove(e->buf + e->pos + n, e->buf + e->pos, e->len - e->pos);
  memcpy(e->buf + e->pos, s, n);
  e->len += n;
  e->pos += n;
  int total = e->prompt_w + text_width(e->buf, e->len);
  if (e->pos == e->len && total % e->cols != 0) {
    emit(s, n); /* typing at the end: just echo */
    flush_out();
    e->cur_row = total / e->cols;
  } else {
    refresh(e);
  }
}

static void delete_range(struct editor *e, size_t from, size_t to, int save) {
  if (to <= from) return;
  if (save) {
    yank_len = to - from;
    memcpy(yank_buf, e->buf + from, yank_len);
  }
  memmove(e->buf + from, e->buf + to, e->len - to);
  e->len -= to - from;
  e->pos = from;
  refresh(e);
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

static int is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (unsigned char)c >= 0x80 || c == '_';
}

static size_t word_left(const struct editor *e, size_t i) {
  while (i > 0 && !is_word(e->buf[i - 1])) i--;
  while (i > 0 && is_word(e->buf[i - 1])) i--;
  return i;
}

static size_t word_right(const struct editor *e, size_t i) {
  while (i < e->len && !is_word(e->buf[i])) i++;
  while (i < e->len && is_word(e->buf[i])) i++;
  return i;
}

/* ^W: back to the previous white space, as the terminal's VWERASE. */
static void kill_word_back(struct editor *e) {
  size_t i = e->pos;
  while (i > 0 && is_space(e->buf[i - 1])) i--;
  while (i > 0 && !is_space(e->buf[i - 1])) i--;
  delete_range(e, i, e->pos, 1);
}

static void set_line(struct editor *e, const char *s) {
  size_t n = strlen(s);
  if (n >= LE_MAX) n = LE_MAX - 1;
  memcpy(e->buf, s, n);
  e->len = e->pos = n;
  refresh(e);
}

static void history_move(struct editor *e, int dir) {
  int count = history_count();
  int to = e->hist_index + dir;
  if (to < 0 || to > count) return;
  if (e->hist_index == count) {
    free(e->saved);
    e->saved = strndup(e->buf, e->len);
  }
  e->hist_index = to;
  set_line(e, to == count ? (e->saved ? e->saved : "") : history_get(to));
}

static void clear_screen(struct editor *e) {
  emit_str("\x1b[H\x1b[2J");
  e->cur_row = 0;
  refresh(e);
}

/* ---- tab completion ---- */

static void list_matches(struct editor *e, char **m, int n) {
  int width = 0;
  for (int i = 0; i < n; i++) {
    int w = text_width(m[i], strlen(m[i]));
    if (w > width) width = w;
  }
  width += 2;
  int per_row = e->cols / width;
  if (per_row < 1) per_row = 1;
  int rows = (n + per_row - 1) / per_row;
  move_to_end(e);
  emit_str("\r\n");
  for (int r = 0; r < rows; r++) {
    for (int c = 0; c < per_row; c++) {
      int i = c * rows + r;
      if (i >= n) break;
      emit_str(m[i]);
      if ((c + 1) * rows + r < n)
        for (int pad = text_width(m[i], strlen(m[i])); pad < width; pad++) emit(" ", 1);
    }
    emit_str("\r\n");
  }
  e->cur_row = 0;
}

static void complete(struct editor *e) {
  struct completion c;
  e->buf[e->len] = 0;
  if (complete_word(e->buf, e->pos, &c) < 0 || c.n == 0) {
    complete_free(&c);
    return;
  }
  /* What every match shares beyond what is typed. */
  size_t common = strlen(c.matches[0]);
  for (int i = 1; i < c.n; i++) {
    size_t k = 0;
    while (k < common && c.matches[i][k] == c.matches[0][k]) k++;
    common = k;
  }
  size_t typed = c.typed_len;
  if (common > typed || c.n == 1) {
    char add[LE_MAX];
    size_t n = complete_quote(c.matches[0] + typed, common - typed, add, sizeof add - 2);
    if (c.n == 1) {
      size_t l = strlen(c.matches[0]);
      if (l == 0 || c.matches[0][l - 1] != '/') add[n++] = ' ';
    }
    insert(e, add, n);
  } else if (e->tabs == 1) {
    emit_str("\a"); /* ambiguous: the bell, then the list on a second Tab */
    flush_out();
  } else {
    list_matches(e, c.matches, c.n);
    emit(e->prompt_full, (size_t)(e->prompt - e->prompt_full));
    e->cur_row = 0;
    refresh(e);
  }
  complete_free(&c);
}

/* ---- keys ---- */

static int read_byte(void) {
  unsigned char c;
  for (;;) {
    ssize_t n = read(0, &c, 1);
    if (n == 1) return c;
    if (n < 0 && errno == EINTR) continue;
    return -1;
  }
}

enum key_result { KEY_GO_ON, KEY_DONE, KEY_EOF, KEY_CANCEL };

/* CSI sequences: ESC [ params final. */
static void handle_csi(struct editor *e) {
  int params[4] = {0, 0, 0, 0}, np = 0, c;
  for (;;) {
    c = read_byte();
    if (c < 0) return;
    if (c >= '0' && c <= '9') {
      if (np == 0) np = 1;
      if (np <= 4) params[np - 1] = params[np - 1] * 10 + (c - '0');
    } else if (c == ';') {
      np++;
    } else if (c >= 0x40 && c <= 0x7e) {
      break;
    } else if (c < 0x20 || c > 0x3f) {
      return; /* malformed: dropped */
    }
  }
  int ctrl = np >= 2 && (params[1] == 5 || params[1] == 3); /* Ctrl or Alt modifier */
  switch (c) {
  case 'A': history_move(e, -1); break;
  case 'B': history_move(e, 1); break;
  case 'C':
    e->pos = ctrl ? word_right(e, e->pos) : next_char(e, e->pos);
    refresh(e);
    break;
  case 'D':
    e->pos = ctrl ? word_left(e, e->pos) : prev_char(e, e->pos);
    refresh(e);
    break;
  case 'H': e->pos = 0, refresh(e); break;
  case 'F': e->pos = e->len, refresh(e); break;
  case '~':
    if (params[0] == 1 || params[0] == 7) e->pos = 0, refresh(e);
    else if (params[0] == 4 || params[0] == 8) e->pos = e->len, refresh(e);
    else if (params[0] == 3) delete_range(e, e->pos, next_char(e, e->pos), 0);
    break;
  default: break; /* unbound: dropped */
  }
}

static void handle_escape(struct editor *e) {
  int c = read_byte();
  if (c == '[') {
    handle_csi(e);
  } else if (c == 'O') {
    int f = read_byte();
    if (f == 'A') history_move(e, -1);
    else if (f == 'B') history_move(e, 1);
    else if (f == 'C') e->pos = next_char(e, e->pos), refresh(e);
    else if (f == 'D') e->pos = prev_char(e, e->pos), refresh(e);
    else if (f == 'H') e->pos = 0, refresh(e);
    else if (f == 'F') e->pos = e->len, refresh(e);
  } else if (c == 'b' || c == 'B') {
    e->pos = word_left(e, e->pos);
    refresh(e);
  } else if (c == 'f' || c == 'F') {
    e->pos = word_right(e, e->pos);
    refresh(e);
  } else if (c == 'd' || c == 'D') {
    delete_range(e, e->pos, word_right(e, e->pos), 1);
  } else if (c == 0x7f || c == 8) {
    delete_range(e, word_left(e, e->pos), e->pos, 1);
  }
}

/* A printable character (a whole UTF-8 sequence when c starts one). */
static void insert_char(struct editor *e, int c) {
  char ch[4];
  size_t n = 1, want = 1;
  ch[0] = (char)c;
  if (c >= 0xf0 && c < 0xf8) want = 4;
  else if (c >= 0xe0) want = 3;
  else if (c >= 0xc0) want = 2;
  while (n < want) {
    int d = read_byte();
    if (d < 0 || !is_cont((unsigned char)d)) return; /* broken sequence: dropped */
    ch[n++] = (char)d;
  }
  if (c >= 0x80 && c < 0xc0) return; /* stray continuation byte */
  insert(e, ch, n);
}

static enum key_result handle_key(struct editor *e, int c) {
  if (c == '\t') {
    e->tabs++;
    complete(e);
    return KEY_GO_ON;
  }
  e->tabs = 0;
  switch (c) {
  case '\r':
  case '\n': return KEY_DONE;
  case 1: e->pos = 0, refresh(e); break;                                  /* ^A */
  case 2: e->pos = prev_char(e, e->pos), refresh(e); break;               /* ^B */
  case 3: return KEY_CANCEL;                                              /* ^C */
  case 4:                                                                 /* ^D */
    if (e->len == 0) return KEY_EOF;
    delete_range(e, e->pos, next_char(e, e->pos), 0);
    break;
  case 5: e->pos = e->len, refresh(e); break;                             /* ^E */
  case 6: e->pos = next_char(e, e->pos), refresh(e); break;               /* ^F */
  case 8:
  case 0x7f: delete_range(e, prev_char(e, e->pos), e->pos, 0); break;     /* ^H, DEL */
  case 11: delete_range(e, e->pos, e->len, 1); break;                     /* ^K */
  case 12: clear_screen(e); break;                                        /* ^L */
  case 14: history_move(e, 1); break;                                     /* ^N */
  case 16: history_move(e, -1); break;                                    /* ^P */
  case 21: delete_range(e, 0, e->pos, 1); break;                          /* ^U */
  case 23: kill_word_back(e); break;                                      /* ^W */
  case 25: insert(e, yank_buf, yank_len); break;                          /* ^Y */
  case 27: handle_escape(e); break;
  default:
    if (c >= 0x20 && c != 0x7f) insert_char(e, c);
    break; /* other control keys do nothing */
  }
  return KEY_GO_ON;
}

/* ---- the terminal ---- */

int lineedit_usable(void) {
  struct termios t;
  return isatty(0) && isatty(2) && tcgetattr(0, &t) == 0;
}

static int terminal_columns(void) {
  struct winsize ws;
  if (ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

static struct editor ed;

int lineedit_read(const char *prompt, char **line) {
  struct termios saved, raw;
  if (tcgetattr(0, &saved) < 0) return 0;
  raw = saved;
  raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
  raw.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IGNCR | IXON);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  tcsetattr(0, TCSADRAIN, &raw);

  struct editor *e = &ed;
  e->len = e->pos = 0;
  e->cols = terminal_columns();
  e->prompt_full = prompt;
  const char *nl = strrchr(prompt, '\n');
  e->prompt = nl ? nl + 1 : prompt;
  e->prompt_w = text_width(e->prompt, strlen(e->prompt));
  e->cur_row = 0;
  e->hist_index = history_count();
  e->tabs = 0;
  emit_str(prompt);
  e->cur_row = e->prompt_w / e->cols;
  flush_out();

  enum key_result r = KEY_GO_ON;
  while (r == KEY_GO_ON) {
    int c = read_byte();
    r = c < 0 ? KEY_EOF : handle_key(e, c);
  }
  if (r != KEY_EOF || e->len > 0) {
    move_to_end(e);
    emit_str(r == KEY_CANCEL ? "^C\r\n" : "\r\n");
    flush_out();
  }
  free(e->saved);
  e->saved = NULL;
  tcsetattr(0, TCSADRAIN, &saved);
  e->buf[e->len] = 0;
  *line = e->buf;
  if (r == KEY_CANCEL) return -1;
  return r == KEY_EOF && e->len == 0 ? 0 : 1;
}
