/* bench_mix N: N rounds of a mixed workload in the spirit of embedded CPU
 * benchmarks: find and reverse in a linked list, a small integer matrix
 * multiply, a character-class state machine over a text, and a bitwise
 * CRC-16 over the results; prints "ok N CHECKSUM". */
#include <stdint.h>
#include <stdio.h>

#include "bench_common.h"

#define NODES 32
#define DIM 8

struct node {
  struct node *next;
  int32_t key, val;
};

static struct node pool[NODES];
static int32_t ma[DIM][DIM], mb[DIM][DIM], mc[DIM][DIM];
static const char text[] = "12,-7 0x3f +18 9.25e3 abc 44 -0 7e 5,5.5 ,,, 1024 -3.5 x9 16 ";

static uint16_t crc16(uint16_t crc, uint32_t v) {
  for (int i = 0; i < 32; i++) {
    uint16_t bit = (uint16_t)((crc ^ v) & 1);
    crc >>= 1;
    if (bit) crc ^= 0xa001;
    v >>= 1;
  }
  return crc;
}

static struct node *list_reverse(struct node *h) {
  struct node *prev = 0;
  while (h) {
    struct node *next = h->next;
    h->next = prev;
    prev = h;
    h = next;
  }
  return prev;
}

static int32_t list_find(struct node *h, int32_t key) {
  for (int pos = 0; h; h = h->next, pos++)
    if (h->key == key) return pos + h->val;
  return -1;
}

static int32_t matrix_round(int32_t salt) {
  int32_t sum = 0;
  for (int i = 0; i < DIM; i++)
    for (int j = 0; j < DIM; j++) {
      int32_t acc = 0;
      for (int k = 0; k < DIM; k++) acc += ma[i][k] * mb[k][j];
      mc[i][j] = acc + salt;
      sum += mc[i][j] >> 2;
    }
  return sum;
}

/* Counts numbers, invalid tokens and state transitions in text, read as a
 * ring from offset start (so every round scans a different token stream). */
static uint32_t scan(unsigned start) {
  enum { START, INT, FRAC, EXP, BAD } st = START;
  uint32_t ints = 0, floats = 0, bad = 0, moves = 0;
  for (unsigned i = 0; i < sizeof text - 1; i++) {
    char c = text[(start + i) % (sizeof text - 1)];
    int digit = c >= '0' && c <= '9';
    int sep = c == ' ' || c == ',';
    int prev = st;
    if (sep) {
      if (st == INT) ints++;
      else if (st == FRAC || st == EXP) floats++;
      else if (st == BAD) bad++;
      st = START;
    } else if (st == START) st = (digit || c == '-' || c == '+') ? INT : BAD;
    else if (st == INT) st = digit ? INT : c == '.' ? FRAC : (c == 'e' || c == 'E') ? EXP : BAD;
    else if (st == FRAC) st = digit ? FRAC : (c == 'e' || c == 'E') ? EXP : BAD;
    else if (st == EXP) st = digit ? EXP : BAD;
    if ((int)st != prev) moves++;
  }
  return ints | (floats << 8) | (bad << 16) | (moves << 24);
}

int main(int argc, char **argv) {
  long n = bench_n(argc, argv);
  for (int i = 0; i < NODES; i++) {
    pool[i].next = i + 1 < NODES ? &pool[i + 1] : 0;
    pool[i].key = (i * 7) % NODES;
    pool[i].val = i;
  }
  for (int i = 0; i < DIM; i++)
    for (int j = 0; j < DIM; j++) {
      ma[i][j] = i * 3 - j;
      mb[i][j] = (i ^ j) + 1;
    }
  struct node *head = pool;
  uint16_t crc = 0;
  for (long r = 0; r < n; r++) {
    int32_t f = list_find(head, (int32_t)(r % NODES)) + list_find(head, -1);
    head = list_reverse(head);
    crc = crc16(crc, (uint32_t)f);
    crc = crc16(crc, (uint32_t)matrix_round((int32_t)r));
    crc = crc16(crc, scan((unsigned)r));
  }
  printf("ok %ld %04x\n", n, (unsigned)crc);
  return 0;
}
