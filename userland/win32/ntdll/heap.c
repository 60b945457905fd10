/*
 * The process heap (RtlAllocateHeap and friends, under HeapAlloc and the C
 * runtime's malloc): first-fit over a free list, blocks of 8-byte units with
 * a size header, arenas of at least 256 KiB from NtAllocateVirtualMemory.
 * Adjacent free blocks are merged when freed. One heap per process: the
 * handle argument is accepted and ignored (GetProcessHeap returns its
 * address).
 */
#include <string.h>
#include <strata/ntdll.h>

#define MEM_COMMIT 0x1000
#define MEM_RESERVE 0x2000
#define PAGE_READWRITE 0x04
#define HEAP_ZERO_MEMORY 0x8
#define ARENA (256u << 10)

struct block {
  unsigned size;       /* bytes of the block including this header, multiple of 8 */
  unsigned free;       /* 1 when on the free list */
  struct block *next;  /* free list (address order) */
  unsigned pad;
};

static struct block *free_list;

static void insert_free(struct block *b) {
  struct block **pp = &free_list;
  while (*pp && *pp < b) pp = &(*pp)->next;
  b->free = 1;
  b->next = *pp;
  *pp = b;
  if (b->next && (char *)b + b->size == (char *)b->next) {
    b->size += b->next->size;
    b->next = b->next->next;
  }
  if (pp != &free_list) {
    struct block *prev = (struct block *)((char *)pp - __builtin_offsetof(struct block, next));
    if ((char *)prev + prev->size == (char *)b) {
      prev->size += b->size;
      prev->next = b->next;
    }
  }
}

static int grow(unsigned need) {
  unsigned size = need + sizeof(struct block) > ARENA ? (need + sizeof(struct block) + 0xfff) & ~0xfffu : ARENA;
  void *base = 0;
  if (!NT_SUCCESS(NtAllocateVirtualMemory((HANDLE_T)-1, &base, 0, &size, MEM_COMMIT | MEM_RESERVE,
                                          PAGE_READWRITE)))
    return 0;
  struct block *b = base;
  b->size = size;
  insert_free(b);
  return 1;
}

void *RtlAllocateHeap(void *heap, ULONG_T flags, ULONG_T size) {
  (void)heap;
  if (size > 0x7fff0000u) return 0;
  unsigned need = ((size + 7) & ~7u) + sizeof(struct block);
  for (int pass = 0; pass < 2; pass++) {
    for (struct block **pp = &free_list; *pp; pp = &(*pp)->next) {
      struct block *b = *pp;
      if (b->size < need) continue;
      if (b->size - need >= 2 * sizeof(struct block)) {
        struct block *rest = (struct block *)((char *)b + need);
        rest->size = b->size - need;
        rest->free = 1;
        rest->next = b->next;
        b->size = need;
        *pp = rest;
      } else {
        *pp = b->next;
      }
      b->free = 0;
      void *p = b + 1;
      if (flags & HEAP_ZERO_MEMORY) memset(p, 0, b->size - sizeof *b);
      return p;
    }
    if (pass == 0 && !grow(need)) return 0;
  }
  return 0;
}

int RtlFreeHeap(void *heap, ULONG_T flags, void *p) {
  (void)heap, (void)flags;
  if (!p) return 1;
  struct block *b = (struct block *)p - 1;
  if (b->free) return 0;
  insert_free(b);
  return 1;
}

ULONG_T RtlSizeHeap(void *heap, ULONG_T flags, const void *p) {
  (void)heap, (void)flags;
  return ((const struct block *)p - 1)->size - sizeof(struct block);
}

void *RtlReAllocateHeap(void *heap, ULONG_T flags, void *p, ULONG_T size) {
  if (!p) return RtlAllocateHeap(heap, flags, size);
  unsigned old = RtlSizeHeap(heap, 0, p);
  if (size <= old) return p;
  void *q = RtlAllocateHeap(heap, flags, size);
  if (!q) return 0;
  memcpy(q, p, old);
  RtlFreeHeap(heap, 0, p);
  return q;
}
