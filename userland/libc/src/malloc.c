/* malloc: power-of-two size classes carved from brk for small blocks, a private
 * mmap2 mapping for each large block. Freed small blocks go on a per-class list
 * and are reused; large blocks are unmapped on free. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"
#include "pthread_impl.h"

#define HDR 8                      /* keeps 8-byte alignment of the payload */
#define MIN_SHIFT 4                /* smallest class: 16 bytes including header */
#define LARGE_LIMIT (64 * 1024)    /* blocks from this size on get their own mapping */
#define NCLASS 13                  /* 16 .. 64 KiB */
#define LARGE_CLASS 0xff
#define ARENA_CHUNK (64 * 1024)    /* brk grows in steps of this */

struct block {
  unsigned int size;  /* usable bytes for large blocks; class for small */
  unsigned int cls;   /* size class, or LARGE_CLASS */
};

static void *free_lists[NCLASS];
static char *arena_cur, *arena_end;

static unsigned class_of(size_t total) {
  unsigned c = 0;
  while (((size_t)1 << (c + MIN_SHIFT)) < total) c++;
  return c;
}

static void *arena_take(size_t n) {
  if ((size_t)(arena_end - arena_cur) < n) {
    /* One spare word of slack covers aligning a fresh, unaligned break. */
    size_t grow = n + 8 > ARENA_CHUNK ? n + 8 : ARENA_CHUNK;
    char *p = sbrk((ptrdiff_t)grow);
    if (p == (void *)-1) return 0;
    /* Not contiguous with our last chunk (first call, or someone else moved the
     * break): start afresh at the next 8-byte boundary. */
    if (p != arena_end) arena_cur = (char *)(((uintptr_t)p + 7) & ~(uintptr_t)7);
    arena_end = p + grow;
  }
  void *r = arena_cur;
  arena_cur += n;
  return r;
}

static void *malloc_unlocked(size_t size) {
  if (size > 0x7fff0000u) {
    errno = ENOMEM;
    return 0;
  }
  size_t total = size + HDR;
  if (total < LARGE_LIMIT) {
    unsigned c = class_of(total);
    struct block *b = free_lists[c];
    if (b) {
      free_lists[c] = *(void **)(b + 1);
    } else {
      b = arena_take((size_t)1 << (c + MIN_SHIFT));
      if (!b) {
        errno = ENOMEM;
        return 0;
      }
    }
    b->size = (unsigned)((1u << (c + MIN_SHIFT)) - HDR);
    b->cls = c;
    return b + 1;
  }
  size_t len = (total + 4095) & ~(size_t)4095;
  struct block *b = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (b == MAP_FAILED) {
    errno = ENOMEM;
    return 0;
  }
  b->size = (unsigned)(len - HDR);
  b->cls = LARGE_CLASS;
  return b + 1;
}

static void free_unlocked(void *ptr) {
  if (!ptr) return;
  struct block *b = (struct block *)ptr - 1;
  if (b->cls == LARGE_CLASS) {
    munmap(b, b->size + HDR);
    return;
  }
  if (b->cls >= NCLASS) abort(); /* heap corruption or a foreign pointer */
  *(void **)ptr = free_lists[b->cls];
  free_lists[b->cls] = b;
}

/* One lock for the allocator (uncontended: one atomic swap each way). */
static volatile int malloc_lock;

void *malloc(size_t size) {
  __lock(&malloc_lock);
  void *p = malloc_unlocked(size);
  __unlock(&malloc_lock);
  return p;
}

void free(void *ptr) {
  __lock(&malloc_lock);
  free_unlocked(ptr);
  __unlock(&malloc_lock);
}

void *calloc(size_t n, size_t size) {
  if (size && n > 0xffffffffu / size) {
    errno = ENOMEM;
    return 0;
  }
  void *p = malloc(n * size);
  /* Fresh mmap pages are zero already; small blocks may be recycled. */
  if (p && ((struct block *)p - 1)->cls != LARGE_CLASS) memset(p, 0, n * size);
  return p;
}

void *realloc(void *ptr, size_t size) {
  if (!ptr) return malloc(size);
  if (size == 0) {
    free(ptr);
    return 0;
  }
  struct block *b = (struct block *)ptr - 1;
  if (size <= b->size) return ptr;
  void *n = malloc(size);
  if (!n) return 0;
  memcpy(n, ptr, b->size);
  free(ptr);
  return n;
}
