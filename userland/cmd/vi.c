/* vi [FILE]: a small modal screen editor in the manner of vi.
 *
 * Normal mode: h j k l and the arrow keys, 0 ^ $, w b e, gg G (NG: line N),
 * ^F ^B ^D ^U, x X, dd D dw d$ J, r<c>, yy p P, u (undo the last change),
 * i a I A o O (insert), / and ? with n N (re.h basic regular expressions,
 * wrapping around), ZZ, and `:` commands :w [FILE], :q, :q!, :wq, :x, :N.
 * Insert mode: text, Enter, Backspace (joins lines), the arrow keys; Esc back
 * to normal mode. Counts (3dd, 5j) work on the motion and edit keys.
 *
 * The terminal is put in raw mode and redrawn whole after each key with ANSI
 * sequences (home, erase line); long lines are shown cut at the screen width
 * and tabs expand to columns of 8. Lines are bytes; the cursor never stops
 * inside a UTF-8 sequence.
 *
 *   buffer: lines[] (malloc'd), undo = a copy of the buffer before a change
 *   screen: draw()   keys: normal_key() / insert_key() / ex_command() */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "help.h"
#include "re.h"

static const char usage_text[] =
    "Usage: vi [FILE]\n"
    "Edit FILE with a small modal screen editor.\n"
    "\n"
    "Normal mode: h j k l 0 ^ $ w b e gg G ^F ^B ^D ^U x X dd D dw J r yy p P u\n"
    "             i a I A o O / ? n N ZZ, and :w :q :q! :wq :x :N\n"
    "Insert mode: Esc returns to normal mode.\n"
    "\n"
    "      --help     display this help and exit\n";

struct text {
  char **lines;
  int n, cap;
};

static struct text buf, undo_buf;
static int have_undo, modified;
static int cy, cx, top; /* cursor line, byte column; first line shown */
static int rows = 24, cols = 80;
static char *filename;
static char message[256];
static char *yank_lines[1024];
static int nyank;
static char search[256];
static int search_back;
static struct termios saved;

/* ---- buffer ---- */

static char *xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p) abort();
  return p;
}

static void insert_line(struct text *t, int at, char *s) {
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 64;
    t->lines = realloc(t->lines, (size_t)t->cap * sizeof(char *));
    if (!t->lines) abort();
  }
  memmove(t->lines + at + 1, t->lines + at, (size_t)(t->n - at) * sizeof(char *));
  t->lines[at] = s;
  t->n++;
}

static void delete_line(struct text *t, int at) {
  free(t->lines[at]);
  memmove(t->lines + at, t->lines + at + 1, (size_t)(t->n - at - 1) * sizeof(char *));
  t->n--;
}

static void free_text(struct text *t) {
  for (int i = 0; i < t->n; i++) free(t->lines[i]);
  t->n = 0;
}

/* Saves the buffer for `u` before a change. */
static void save_undo(void) {
  free_text(&undo_buf);
  for (int i = 0; i < buf.n; i++) insert_line(&undo_buf, i, xstrdup(buf.lines[i]));
  have_undo = 1;
  modified = 1;
}

static void undo(void) {
  if (!have_undo) {
    snprintf(message, sizeof message, "Already at oldest change");
    return;
  }
  struct text t = buf;
  buf = undo_buf;
  undo_buf = t;
  if (buf.n == 0) insert_line(&buf, 0, xstrdup(""));
  if (cy >= buf.n) cy = buf.n - 1;
}

static int load(const char *name) {
  FILE *f = fopen(name, "r");
  if (!f) {
    insert_line(&buf, 0, xstrdup(""));
    snprintf(message, sizeof message, "\"%s\" [New File]", name);
    return errno == ENOENT ? 0 : -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  long bytes = 0;
  while ((n = getline(&line, &cap, f)) > 0) {
    bytes += n;
    if (line[n - 1] == '\n') line[n - 1] = 0;
    insert_line(&buf, buf.n, xstrdup(line));
  }
  free(line);
  fclose(f);
  if (buf.n == 0) insert_line(&buf, 0, xstrdup(""));
  snprintf(message, sizeof message, "\"%s\" %dL, %ldB", name, buf.n, bytes);
  return 0;
}

static int save(const char *name) {
  FILE *f = fopen(name, "w");
  if (!f) {
    snprintf(message, sizeof message, "\"%s\" %s", name, strerror(errno));
    return -1;
  }
  long bytes = 0;
  for (int i = 0; i < buf.n; i++) {
    fputs(buf.lines[i], f);
    fputc('\n', f);
    bytes += (long)strlen(buf.lines[i]) + 1;
  }
  if (fclose(f) != 0) {
    snprintf(message, sizeof message, "\"%s\" %s", name, strerror(errno));
    return -1;
  }
  snprintf(message, sizeof message, "\"%s\" %dL, %ldB written", name, buf.n, bytes);
  modified = 0;
  return 0;
}

/* ---- screen ---- */

static char screen[1 << 16];
static size_t slen;

static void put(const char *s, size_t n) {
  if (slen + n > sizeof screen) {
    ssize_t w = write(1, screen, slen);
    (void)w;
    slen = 0;
  }
  memcpy(screen + slen, s, n);
  slen += n;
}

static void puts_s(const char *s) { put(s, strlen(s)); }

static void flush_screen(void) {
  size_t off = 0;
  while (off < slen) {
    ssize_t w = write(1, screen + off, slen - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    off += (size_t)w;
  }
  slen = 0;
}

/* Screen column of byte x in line s (tabs to multiples of 8, UTF-8 aware). */
static int column(const char *s, int x) {
  int col = 0;
  for (int i = 0; i < x && s[i]; i++) {
    if (s[i] == '\t') col = (col / 8 + 1) * 8;
    else if (((unsigned char)s[i] & 0xc0) != 0x80) col++;
  }
  return col;
}

static void draw(void) {
  int text_rows = rows - 1;
  if (cy < top) top = cy;
  if (cy >= top + text_rows) top = cy - text_rows + 1;
  puts_s("\x1b[?25l\x1b[H");
  for (int r = 0; r < text_rows; r++) {
    int i = top + r;
    if (i < buf.n) {
      const char *s = buf.lines[i];
      int col = 0;
      for (int k = 0; s[k]; k++) {
        if (s[k] == '\t') {
          int next = (col / 8 + 1) * 8;
          for (; col < next && col < cols; col++) put(" ", 1);
        } else {
          int starts = ((unsigned char)s[k] & 0xc0) != 0x80;
          if (starts && col >= cols) break;
          put(s + k, 1);
          col += starts;
        }
        if (col >= cols) break;
      }
    } else {
      put("~", 1);
    }
    puts_s("\x1b[K\r\n");
  }
  puts_s(message);
  puts_s("\x1b[K");
  char pos[32];
  int col = column(buf.lines[cy], cx);
  snprintf(pos, sizeof pos, "\x1b[%d;%dH\x1b[?25h", cy - top + 1, (col < cols ? col : cols - 1) + 1);
  puts_s(pos);
  flush_screen();
}

static int pending = -1; /* a byte read after a lone Esc */

static int read_key(void) {
  unsigned char c;
  if (pending >= 0) {
    c = (unsigned char)pending;
    pending = -1;
    return c;
  }
  for (;;) {
    ssize_t n = read(0, &c, 1);
    if (n == 1) break;
    if (n < 0 && errno == EINTR) continue;
    return -1;
  }
  if (c != 27) return c;
  /* Arrow keys: ESC [ A..D (or ESC O A..D), which a terminal sends in one
   * burst; a lone ESC is ESC. Polling reads (VMIN 0, VTIME 0) tell them
   * apart: if nothing follows at once, once more after 30 ms, as the bytes
   * of a sequence may still be on the line. */
  struct termios t;
  tcgetattr(0, &t);
  struct termios quick = t;
  quick.c_cc[VMIN] = 0;
  quick.c_cc[VTIME] = 0;
  tcsetattr(0, TCSANOW, &quick);
  unsigned char seq[2];
  ssize_t n = read(0, seq, 1);
  if (n == 0) {
    struct timespec ts = {0, 30000000};
    nanosleep(&ts, NULL);
    n = read(0, seq, 1);
  }
  int is_seq = n == 1 && (seq[0] == '[' || seq[0] == 'O');
  if (is_seq) {
    n = read(0, seq + 1, 1);
    if (n == 0) {
      struct timespec ts = {0, 30000000};
      nanosleep(&ts, NULL);
      n = read(0, seq + 1, 1);
    }
  }
  tcsetattr(0, TCSANOW, &t);
  if (n == 1 && !is_seq) pending = seq[0]; /* Esc, then an ordinary key */
  if (n != 1 || !is_seq) return 27;
  switch (seq[1]) {
  case 'A': return 'k' | 0x100;
  case 'B': return 'j' | 0x100;
  case 'C': return 'l' | 0x100;
  case 'D': return 'h' | 0x100;
  default: return 0; /* other sequences are dropped */
  }
}

/* ---- motion ---- */

static int line_len(void) { return (int)strlen(buf.lines[cy]); }

static void clamp(int insert) {
  if (cy >= buf.n) cy = buf.n - 1;
  if (cy < 0) cy = 0;
  int len = line_len(), max = insert || len == 0 ? len : len - 1;
  if (cx > max) cx = max;
  if (cx < 0) cx = 0;
  while (cx > 0 && ((unsigned char)buf.lines[cy][cx] & 0xc0) == 0x80) cx--;
}

static int next_char(const char *s, int x) {
  if (!s[x]) return x;
  x++;
  while (s[x] && ((unsigned char)s[x] & 0xc0) == 0x80) x++;
  return x;
}

static int prev_char(const char *s, int x) {
  if (x == 0) return 0;
  x--;
  while (x > 0 && ((unsigned char)s[x] & 0xc0) == 0x80) x--;
  return x;
}

static int is_word(int c) { return re_is_word(c) || c >= 0x80; }

static int class_of(int c) { return c == 0 ? 0 : c == ' ' || c == '\t' ? 0 : is_word(c) ? 1 : 2; }

static void word_forward(void) {
  const char *s = buf.lines[cy];
  int c0 = class_of((unsigned char)s[cx]);
  while (s[cx] && class_of((unsigned char)s[cx]) == c0 && c0) cx++;
  while (s[cx] == ' ' || s[cx] == '\t') cx++;
  if (!s[cx] && cy + 1 < buf.n) {
    cy++, cx = 0;
    s = buf.lines[cy];
    while (s[cx] == ' ' || s[cx] == '\t') cx++;
  }
}

static void word_back(void) {
  const char *s = buf.lines[cy];
  if (cx == 0 && cy > 0) {
    cy--;
    s = buf.lines[cy];
    cx = (int)strlen(s);
  }
  while (cx > 0 && (s[cx - 1] == ' ' || s[cx - 1] == '\t')) cx--;
  if (cx == 0) return;
  int c0 = class_of((unsigned char)s[cx - 1]);
  while (cx > 0 && class_of((unsigned char)s[cx - 1]) == c0) cx--;
}

static void word_end(void) {
  const char *s = buf.lines[cy];
  if (s[cx]) cx++;
  while (s[cx] == ' ' || s[cx] == '\t') cx++;
  int c0 = class_of((unsigned char)s[cx]);
  while (s[cx + 1] && class_of((unsigned char)s[cx + 1]) == c0) cx++;
}

static void first_nonblank(void) {
  cx = 0;
  while (buf.lines[cy][cx] == ' ' || buf.lines[cy][cx] == '\t') cx++;
}

/* ---- editing ---- */

static void set_line(int y, char *s) {
  free(buf.lines[y]);
  buf.lines[y] = s;
}

static void insert_text(const char *t, size_t n) {
  const char *s = buf.lines[cy];
  size_t len = strlen(s);
  char *ns = malloc(len + n + 1);
  if (!ns) abort();
  memcpy(ns, s, (size_t)cx);
  memcpy(ns + cx, t, n);
  memcpy(ns + cx + n, s + cx, len - (size_t)cx + 1);
  set_line(cy, ns);
  cx += (int)n;
}

static void delete_bytes(int from, int to) {
  char *s = buf.lines[cy];
  memmove(s + from, s + to, strlen(s + to) + 1);
}

static void split_line(void) {
  char *s = buf.lines[cy];
  insert_line(&buf, cy + 1, xstrdup(s + cx));
  s[cx] = 0;
  cy++;
  cx = 0;
}

static void join_lines(int y) {
  if (y + 1 >= buf.n) return;
  const char *a = buf.lines[y], *b = buf.lines[y + 1];
  size_t la = strlen(a), lb = strlen(b);
  char *ns = malloc(la + lb + 1);
  if (!ns) abort();
  memcpy(ns, a, la);
  memcpy(ns + la, b, lb + 1);
  set_line(y, ns);
  delete_line(&buf, y + 1);
}

static void yank(int from, int count) {
  for (int i = 0; i < nyank; i++) free(yank_lines[i]);
  nyank = 0;
  for (int i = from; i < from + count && i < buf.n && nyank < 1024; i++)
    yank_lines[nyank++] = xstrdup(buf.lines[i]);
}

static void put_lines(int after) {
  if (!nyank) return;
  save_undo();
  int at = after ? cy + 1 : cy;
  for (int i = 0; i < nyank; i++) insert_line(&buf, at + i, xstrdup(yank_lines[i]));
  cy = at;
  first_nonblank();
}

static void delete_lines(int count) {
  save_undo();
  yank(cy, count);
  for (int i = 0; i < count && buf.n > 0 && cy < buf.n; i++) delete_line(&buf, cy);
  if (buf.n == 0) insert_line(&buf, 0, xstrdup(""));
  if (cy >= buf.n) cy = buf.n - 1;
  first_nonblank();
}

/* ---- search ---- */

static void find(int backward) {
  if (!search[0]) {
    snprintf(message, sizeof message, "E35: No previous regular expression");
    return;
  }
  struct re re;
  const char *err;
  if (re_compile(&re, search, 0, 0, &err) < 0) {
    snprintf(message, sizeof message, "E486: %s", err);
    return;
  }
  long cap[2 * RE_NSUB];
  for (int step = 0; step <= buf.n; step++) {
    int y = backward ? (cy - step + buf.n) % buf.n : (cy + step) % buf.n;
    const char *s = buf.lines[y];
    size_t n = strlen(s);
    long best = -1;
    for (size_t from = 0; from <= n && re_exec(&re, s, n, from, cap); from = (size_t)cap[0] + 1) {
      int x = (int)cap[0];
      if (!backward && (step > 0 || x > cx)) {
        best = x;
        break;
      }
      if (backward && (step > 0 || x < cx)) best = x;
      if (cap[0] >= (long)n) break;
    }
    if (best >= 0 && !(step == buf.n && (backward ? best >= cx : best <= cx))) {
      if (backward ? (step > 0 && y > cy) : (step > 0 && y < cy))
        snprintf(message, sizeof message, "search hit %s, continuing at %s",
                 backward ? "TOP" : "BOTTOM", backward ? "BOTTOM" : "TOP");
      cy = y;
      cx = (int)best;
      return;
    }
  }
  snprintf(message, sizeof message, "E486: Pattern not found: %s", search);
}

/* Reads a line at the bottom after a `:`, `/` or `?`; 0 if Esc cancelled it. */
static int prompt_line(char lead, char *out, size_t cap) {
  size_t n = 0;
  for (;;) {
    snprintf(message, sizeof message, "%c%.*s", lead, (int)n, out);
    draw();
    char pos[32];
    snprintf(pos, sizeof pos, "\x1b[%d;%dH", rows, (int)n + 2);
    puts_s(pos);
    flush_screen();
    int c = read_key();
    if (c < 0 || c == 27 || c == 3) {
      message[0] = 0;
      return 0;
    }
    if (c == '\r' || c == '\n') break;
    if (c == 127 || c == 8) {
      if (n == 0) {
        message[0] = 0;
        return 0;
      }
      n--;
    } else if (c >= 0x20 && c < 0x100 && n + 1 < cap) {
      out[n++] = (char)c;
    }
  }
  out[n] = 0;
  message[0] = 0;
  return 1;
}

/* ---- : commands ---- */

static int quit_now;

static void ex_command(char *cmd) {
  while (*cmd == ' ' || *cmd == ':') cmd++;
  if (*cmd >= '0' && *cmd <= '9') {
    cy = atoi(cmd) - 1;
    clamp(0);
    first_nonblank();
    return;
  }
  if (*cmd == '$' && !cmd[1]) {
    cy = buf.n - 1;
    first_nonblank();
    return;
  }
  char *arg = cmd;
  while (*arg && *arg != ' ') arg++;
  if (*arg) *arg++ = 0;
  while (*arg == ' ') arg++;
  const char *name = *arg ? arg : filename;
  if (!strcmp(cmd, "w") || !strcmp(cmd, "wq") || !strcmp(cmd, "x")) {
    if (!strcmp(cmd, "x") && !modified) {
      quit_now = 1;
      return;
    }
    if (!name) {
      snprintf(message, sizeof message, "E32: No file name");
      return;
    }
    if (!filename) filename = xstrdup(name);
    if (save(name) == 0 && strcmp(cmd, "w") != 0) quit_now = 1;
  } else if (!strcmp(cmd, "q")) {
    if (modified) snprintf(message, sizeof message, "E37: No write since last change (add ! to override)");
    else quit_now = 1;
  } else if (!strcmp(cmd, "q!")) {
    quit_now = 1;
  } else if (*cmd) {
    snprintf(message, sizeof message, "E492: Not an editor command: %.200s", cmd);
  }
}

/* ---- insert mode ---- */

static void insert_mode(void) {
  snprintf(message, sizeof message, "-- INSERT --");
  for (;;) {
    draw();
    int c = read_key();
    if (c < 0 || c == 27 || c == 3) break;
    if (c == ('h' | 0x100)) cx = prev_char(buf.lines[cy], cx);
    else if (c == ('l' | 0x100)) cx = next_char(buf.lines[cy], cx);
    else if (c == ('k' | 0x100)) cy--, clamp(1);
    else if (c == ('j' | 0x100)) cy++, clamp(1);
    else if (c == '\r' || c == '\n') split_line();
    else if (c == 127 || c == 8) {
      if (cx > 0) {
        int p = prev_char(buf.lines[cy], cx);
        delete_bytes(p, cx);
        cx = p;
      } else if (cy > 0) {
        cy--;
        cx = line_len();
        join_lines(cy);
      }
    } else if (c == '\t' || (c >= 0x20 && c < 0x100 && c != 127)) {
      char ch = (char)c;
      insert_text(&ch, 1);
    }
  }
  message[0] = 0;
  cx = prev_char(buf.lines[cy], cx);
  clamp(0);
}

/* ---- normal mode ---- */

static void normal_key(int c, int count) {
  int n = count ? count : 1;
  const char *s = buf.lines[cy];
  switch (c) {
  case 'h': case 'h' | 0x100: case 8: case 127:
    for (int i = 0; i < n; i++) cx = prev_char(s, cx);
    break;
  case 'l': case 'l' | 0x100: case ' ':
    for (int i = 0; i < n && s[next_char(s, cx)]; i++) cx = next_char(s, cx);
    break;
  case 'j': case 'j' | 0x100: case 14: cy += n; break;
  case 'k': case 'k' | 0x100: case 16: cy -= n; break;
  case '0': cx = 0; break;
  case '^': first_nonblank(); break;
  case '$': cx = line_len(); break;
  case 'w': for (int i = 0; i < n; i++) word_forward(); break;
  case 'b': for (int i = 0; i < n; i++) word_back(); break;
  case 'e': for (int i = 0; i < n; i++) word_end(); break;
  case 'G': cy = count ? count - 1 : buf.n - 1, first_nonblank(); break;
  case 6: cy += (rows - 2) * n, top += (rows - 2) * n; break;
  case 2: cy -= (rows - 2) * n, top -= (rows - 2) * n; break;
  case 4: cy += (rows - 1) / 2; break;
  case 21: cy -= (rows - 1) / 2; break;
  case 'x':
    if (!*s) break;
    save_undo();
    for (int i = 0; i < n && buf.lines[cy][cx]; i++) delete_bytes(cx, next_char(buf.lines[cy], cx));
    break;
  case 'X':
    if (cx == 0) break;
    save_undo();
    for (int i = 0; i < n && cx > 0; i++) {
      int p = prev_char(buf.lines[cy], cx);
      delete_bytes(p, cx);
      cx = p;
    }
    break;
  case 'D': save_undo(); buf.lines[cy][cx] = 0; break;
  case 'J':
    save_undo();
    for (int i = 0; i < (n > 1 ? n - 1 : 1); i++) {
      if (cy + 1 >= buf.n) break;
      cx = line_len();
      char *next = buf.lines[cy + 1];
      while (*next == ' ' || *next == '\t') memmove(next, next + 1, strlen(next));
      if (cx > 0 && *next) insert_text(" ", 1), cx--;
      join_lines(cy);
    }
    break;
  case 'i': save_undo(); insert_mode(); break;
  case 'a': save_undo(); if (*s) cx = next_char(s, cx); insert_mode(); break;
  case 'I': save_undo(); first_nonblank(); insert_mode(); break;
  case 'A': save_undo(); cx = line_len(); insert_mode(); break;
  case 'o': save_undo(); insert_line(&buf, cy + 1, xstrdup("")); cy++, cx = 0; insert_mode(); break;
  case 'O': save_undo(); insert_line(&buf, cy, xstrdup("")); cx = 0; insert_mode(); break;
  case 'p': case 'P': for (int i = 0; i < n; i++) put_lines(c == 'p'); break;
  case 'u': undo(); break;
  case 'n': case 'N': find(search_back != (c == 'N')); break;
  case '/': case '?': {
    char pat[256];
    if (prompt_line((char)c, pat, sizeof pat)) {
      if (pat[0]) snprintf(search, sizeof search, "%s", pat);
      search_back = c == '?';
      find(search_back);
    }
    break;
  }
  case ':': {
    char cmd[256];
    if (prompt_line(':', cmd, sizeof cmd)) ex_command(cmd);
    break;
  }
  case 12: break; /* ^L: redrawn anyway */
  default: break;
  }
}

/* Keys that take a second key: dd dw d$ yy gg ZZ r<c>. */
static void two_key(int c, int count) {
  int k = read_key();
  int n = count ? count : 1;
  if (c == 'd' && k == 'd') {
    delete_lines(n);
  } else if (c == 'd' && (k == 'w' || k == '$')) {
    save_undo();
    int from = cx;
    if (k == '$') cx = line_len();
    else
      for (int i = 0; i < n; i++) {
        int y = cy;
        word_forward();
        if (cy != y) cy = y, cx = line_len();
      }
    delete_bytes(from, cx);
    cx = from;
  } else if (c == 'y' && k == 'y') {
    yank(cy, n);
    if (n > 1) snprintf(message, sizeof message, "%d lines yanked", n);
  } else if (c == 'g' && k == 'g') {
    cy = count ? count - 1 : 0;
    first_nonblank();
  } else if (c == 'Z' && k == 'Z') {
    if (modified && filename) save(filename);
    if (!modified) quit_now = 1;
  } else if (c == 'r' && k >= 0x20 && k < 0x80 && buf.lines[cy][cx]) {
    save_undo();
    char ch = (char)k;
    int end = next_char(buf.lines[cy], cx);
    delete_bytes(cx, end);
    insert_text(&ch, 1);
    cx--;
  }
}

/* Leaves the screen as it is, with the last message on the bottom line and
 * the cursor below it, as vi does. */
static void restore_terminal(void) {
  char pos[32];
  snprintf(pos, sizeof pos, "\x1b[%d;1H", rows);
  puts_s(pos);
  puts_s(message);
  puts_s("\x1b[K\r\n");
  flush_screen();
  tcsetattr(0, TCSADRAIN, &saved);
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  if (argc > 2) {
    fprintf(stderr, "vi: one file at a time\nUsage: vi [FILE]\n");
    return 1;
  }
  if (!isatty(0) || tcgetattr(0, &saved) < 0) {
    fprintf(stderr, "vi: standard input is not a terminal\n");
    return 1;
  }
  if (argc == 2) {
    filename = xstrdup(argv[1]);
    if (load(filename) < 0) {
      fprintf(stderr, "vi: %s: %s\n", filename, strerror(errno));
      return 1;
    }
  } else {
    insert_line(&buf, 0, xstrdup(""));
  }
  struct winsize ws;
  if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 2 && ws.ws_col > 0) rows = ws.ws_row, cols = ws.ws_col;
  struct termios raw = saved;
  raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
  raw.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  tcsetattr(0, TCSADRAIN, &raw);
  puts_s("\x1b[H\x1b[2J");
  while (!quit_now) {
    clamp(0);
    draw();
    int c = read_key(), count = 0;
    while ((c >= '1' && c <= '9') || (count && c == '0')) {
      count = count * 10 + (c - '0');
      c = read_key();
    }
    if (c < 0) break;
    if (c != ':' && c != '/' && c != '?') message[0] = 0;
    if (c == 'd' || c == 'y' || c == 'g' || c == 'Z' || c == 'r') two_key(c, count);
    else normal_key(c, count);
  }
  restore_terminal();
  return 0;
}
