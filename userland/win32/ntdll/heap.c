/*
 * Heaps: RtlCreateHeap, RtlDestroyHeap, RtlAllocateHeap, RtlReAllocateHeap,
 * RtlFreeHeap, RtlSizeHeap and RtlGetProcessHeap (kernel32's HeapCreate,
 * HeapAlloc, ... and the C runtime's malloc sit on them).
 *
 * A heap is a list of segments, each one reservation committed at once from
 * NtAllocateVirtualMemory (pages are demand-zero, so committing is cheap).
 * Layout of a segment:
 *   struct segment | (first segment: struct heap) | blocks ... | end sentinel
 * Every block has a 16-byte header (size including the header, the size
 * the caller asked for, the free-list link, a busy/free tag); the blocks
 * tile the segment up to the sentinel, so a block's right neighbour is at
 * `b + b->size`. Free blocks are on one address-ordered list, first fit;
 * freeing merges a block with free neighbours, and a segment other than the
 * first that becomes one free block goes back to the system.
 *
 * A growable heap (HEAP_GROWABLE) adds segments of at least 256 KiB (one
 * big enough for a large block); a fixed heap is one segment of its maximum
 * size. Failures return NULL with STATUS_NO_MEMORY as the last error, or
 * raise it with HEAP_GENERATE_EXCEPTIONS (RtlRaiseStatus: the unhandled
 * exception filter sees it, then the process ends with that status). Each heap has a lock (an atomic flag, yielding
 * while held) unless created with HEAP_NO_SERIALIZE.
 *
 * The handle 0 names the process heap (created on first use), for ntdll's
 * and kernel32's own allocations.
 */
#include <string.h>
#include <strata/ntdll.h>

#define MEM_COMMIT 0x1000
#define MEM_RESERVE 0x2000
#define MEM_RELEASE 0x8000
#define PAGE_READWRITE 0x04
#define PAGE_EXECUTE_READWRITE 0x40
#define HEAP_NO_SERIALIZE 0x1
#define HEAP_GROWABLE 0x2
#define HEAP_GENERATE_EXCEPTIONS 0x4
#define HEAP_ZERO_MEMORY 0x8
#define HEAP_REALLOC_IN_PLACE_ONLY 0x10
#define HEAP_CREATE_ENABLE_EXECUTE 0x40000
#define ERROR_NOT_ENOUGH_MEMORY 8
#define ERROR_INVALID_PARAMETER 87

#define UNIT 16u
#define GRANULE 0x10000u
#define SEGMENT_MIN (256u << 10)
#define MAX_REQUEST 0x7fff0000u
#define HEAP_MAGIC 0x50414548u /* "HEAP" */
#define TAG_BUSY 0xb5b5b5b5u
#define TAG_FREE 0xf3f3f3f3u
#define TAG_END 0xe0e0e0e0u

NTSTATUS_T NtYieldExecution(void);
void RtlRaiseStatus(NTSTATUS_T status);
void *RtlGetProcessHeap(void);

struct block {
  ULONG_T size;        /* bytes including this header, multiple of UNIT */
  ULONG_T req;         /* bytes asked for (HeapSize) */
  struct block *next;  /* free list, address order */
  ULONG_T tag;         /* TAG_BUSY, TAG_FREE or TAG_END */
};

struct segment {
  struct segment *next;
  ULONG_T size; /* bytes of the reservation */
  ULONG_T pad[2];
};

struct heap {
  ULONG_T magic;
  ULONG_T flags;   /* HEAP_* given at creation */
  ULONG_T protect; /* of its segments */
  volatile int lock;
  struct block *free_list;
  struct segment *segments; /* the first segment is the one holding this header */
  ULONG_T pad[2];
};

static struct heap *process_heap;

static void lock(struct heap *h, ULONG_T flags) {
  if (flags & HEAP_NO_SERIALIZE) return;
  while (__atomic_exchange_n(&h->lock, 1, __ATOMIC_ACQUIRE)) NtYieldExecution();
}

static void unlock(struct heap *h, ULONG_T flags) {
  if (!(flags & HEAP_NO_SERIALIZE)) __atomic_store_n(&h->lock, 0, __ATOMIC_RELEASE);
}

/* Puts `b` on the free list and merges it with free neighbours; the merged block. */
static struct block *insert_free(struct heap *h, struct block *b) {
  struct block **pp = &h->free_list, *prev = 0;
  while (*pp && *pp < b) {
    prev = *pp;
    pp = &(*pp)->next;
  }
  b->tag = TAG_FREE;
  b->next = *pp;
  *pp = b;
  if (b->next && (char *)b + b->size == (char *)b->next) {
    b->size += b->next->size;
    b->next = b->next->next;
  }
  if (prev && (char *)prev + prev->size == (char *)b) {
    prev->size += b->size;
    prev->next = b->next;
    return prev;
  }
  return b;
}

static void unlink_free(struct heap *h, struct block *b) {
  for (struct block **pp = &h->free_list; *pp; pp = &(*pp)->next)
    if (*pp == b) {
      *pp = b->next;
      return;
    }
}

/* Reserves and commits a segment of `size` bytes; its first usable byte at `*first`. */
static struct segment *new_segment(ULONG_T size, ULONG_T protect) {
  void *base = 0;
  ULONG_T n = size;
  if (!NT_SUCCESS(NtAllocateVirtualMemory((HANDLE_T)-1, &base, 0, &n, MEM_RESERVE | MEM_COMMIT, protect)))
    return 0;
  struct segment *s = base;
  s->size = n;
  struct block *end = (struct block *)((char *)base + n - UNIT);
  end->size = 0;
  end->req = 0;
  end->tag = TAG_END;
  return s;
}

/* Makes [from, segment end - sentinel) one free block. */
static void seed(struct heap *h, struct segment *s, char *from) {
  struct block *b = (struct block *)from;
  b->size = (ULONG_T)((char *)s + s->size - UNIT - from);
  insert_free(h, b);
}

static int grow(struct heap *h, ULONG_T need) {
  if (!(h->flags & HEAP_GROWABLE) || need > MAX_REQUEST - 2 * UNIT - GRANULE) return 0;
  ULONG_T size = (need + 2 * UNIT + GRANULE - 1) & ~(GRANULE - 1);
  if (size < SEGMENT_MIN) size = SEGMENT_MIN;
  struct segment *s = new_segment(size, h->protect);
  if (!s) return 0;
  s->next = h->segments->next;
  h->segments->next = s;
  seed(h, s, (char *)(s + 1));
  return 1;
}

/* Takes a block of at least `need` bytes from the free list (first fit), splitting it. */
static struct block *take(struct heap *h, ULONG_T need) {
  for (struct block **pp = &h->free_list; *pp; pp = &(*pp)->next) {
    struct block *b = *pp;
    if (b->size < need) continue;
    if (b->size - need >= 2 * UNIT) {
      struct block *rest = (struct block *)((char *)b + need);
      rest->size = b->size - need;
      rest->tag = TAG_FREE;
      rest->next = b->next;
      b->size = need;
      *pp = rest;
    } else {
      *pp = b->next;
    }
    b->tag = TAG_BUSY;
    return b;
  }
  return 0;
}

/* A segment other than the first that is one free block goes back to the system. */
__attribute__((noinline)) static void maybe_release(struct heap *h, struct block *b) {
  for (struct segment **pp = &h->segments->next; *pp; pp = &(*pp)->next) {
    struct segment *s = *pp;
    if ((char *)b != (char *)(s + 1) || b->size != s->size - sizeof *s - UNIT) continue;
    unlink_free(h, b);
    *pp = s->next;
    void *base = s;
    ULONG_T zero = 0;
    NtFreeVirtualMemory((HANDLE_T)-1, &base, &zero, MEM_RELEASE);
    return;
  }
}

/* The slow path of an allocation: a new segment, then the block from it. */
__attribute__((noinline)) static struct block *grow_and_take(struct heap *h, ULONG_T need) {
  return grow(h, need) ? take(h, need) : 0;
}

static struct heap *heap_of(void *handle) {
  struct heap *h = handle ? handle : RtlGetProcessHeap();
  return h && h->magic == HEAP_MAGIC ? h : 0;
}

/* NULL with STATUS_NO_MEMORY, or the exception with HEAP_GENERATE_EXCEPTIONS. */
__attribute__((noinline)) static void *no_memory(ULONG_T flags) {
  if (flags & HEAP_GENERATE_EXCEPTIONS) RtlRaiseStatus((NTSTATUS_T)STATUS_NO_MEMORY);
  RtlSetLastWin32Error(ERROR_NOT_ENOUGH_MEMORY);
  return 0;
}

static ULONG_T need_for(ULONG_T size) { return ((size ? size : 1) + UNIT - 1) / UNIT * UNIT + UNIT; }

void *RtlCreateHeap(ULONG_T flags, void *base, ULONG_T reserve, ULONG_T commit, void *lk, void *params) {
  (void)lk, (void)params;
  if (base) return 0; /* heaps over caller memory are not supported */
  if (commit > reserve) reserve = commit;
  if (reserve > MAX_REQUEST) return 0;
  ULONG_T size = (reserve + GRANULE - 1) & ~(GRANULE - 1);
  if (size < ((flags & HEAP_GROWABLE) ? SEGMENT_MIN : GRANULE)) size = (flags & HEAP_GROWABLE) ? SEGMENT_MIN : GRANULE;
  ULONG_T protect = (flags & HEAP_CREATE_ENABLE_EXECUTE) ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE;
  struct segment *s = new_segment(size, protect);
  if (!s) return 0;
  s->next = 0;
  struct heap *h = (struct heap *)(s + 1);
  memset(h, 0, sizeof *h);
  h->magic = HEAP_MAGIC;
  h->flags = flags;
  h->protect = protect;
  h->segments = s;
  seed(h, s, (char *)(h + 1));
  return h;
}

void *RtlDestroyHeap(void *handle) {
  struct heap *h = heap_of(handle);
  if (!h || h == process_heap) return handle;
  struct segment *s = h->segments->next, *first = h->segments;
  h->magic = 0;
  while (s) {
    struct segment *next = s->next;
    void *base = s;
    ULONG_T zero = 0;
    NtFreeVirtualMemory((HANDLE_T)-1, &base, &zero, MEM_RELEASE);
    s = next;
  }
  void *base = first;
  ULONG_T zero = 0;
  NtFreeVirtualMemory((HANDLE_T)-1, &base, &zero, MEM_RELEASE);
  return 0;
}

void *RtlGetProcessHeap(void) {
  if (!process_heap) process_heap = RtlCreateHeap(HEAP_GROWABLE, 0, 0, 0, 0, 0);
  return process_heap;
}

void *RtlAllocateHeap(void *handle, ULONG_T flags, ULONG_T size) {
  struct heap *h = heap_of(handle);
  if (!h) return no_memory(flags);
  flags |= h->flags & (HEAP_NO_SERIALIZE | HEAP_GENERATE_EXCEPTIONS);
  if (size > MAX_REQUEST) return no_memory(flags);
  ULONG_T need = need_for(size);
  lock(h, flags);
  struct block *b = take(h, need);
  if (!b) b = grow_and_take(h, need);
  unlock(h, flags);
  if (!b) return no_memory(flags);
  b->req = size;
  if (flags & HEAP_ZERO_MEMORY) memset(b + 1, 0, size);
  return b + 1;
}

/* The busy block of `p`, or NULL. */
static struct block *busy(const void *p) {
  if (!p || ((ULONG_T)p & (UNIT - 1))) return 0;
  struct block *b = (struct block *)p - 1;
  return b->tag == TAG_BUSY ? b : 0;
}

int RtlFreeHeap(void *handle, ULONG_T flags, void *p) {
  struct heap *h = heap_of(handle);
  if (!p) return 1;
  struct block *b = busy(p);
  if (!h || !b) {
    RtlSetLastWin32Error(ERROR_INVALID_PARAMETER);
    return 0;
  }
  flags |= h->flags & HEAP_NO_SERIALIZE;
  lock(h, flags);
  struct block *merged = insert_free(h, b);
  if (h->segments->next) maybe_release(h, merged);
  unlock(h, flags);
  return 1;
}

ULONG_T RtlSizeHeap(void *handle, ULONG_T flags, const void *p) {
  (void)flags;
  struct block *b = busy(p);
  if (!heap_of(handle) || !b) return (ULONG_T)-1;
  return b->req;
}

/* Resizes `b` in place to `need` bytes if it or its free right neighbour allows; 1 if done. */
static int resize_in_place(struct heap *h, struct block *b, ULONG_T need) {
  struct block *right = (struct block *)((char *)b + b->size);
  if (b->size < need && right->tag == TAG_FREE && b->size + right->size >= need) {
    unlink_free(h, right);
    b->size += right->size;
  }
  if (b->size < need) return 0;
  if (b->size - need >= 2 * UNIT) {
    struct block *rest = (struct block *)((char *)b + need);
    rest->size = b->size - need;
    b->size = need;
    insert_free(h, rest);
  }
  return 1;
}

void *RtlReAllocateHeap(void *handle, ULONG_T flags, void *p, ULONG_T size) {
  struct heap *h = heap_of(handle);
  struct block *b = busy(p);
  if (!h || !b) {
    RtlSetLastWin32Error(ERROR_INVALID_PARAMETER);
    return 0;
  }
  flags |= h->flags & (HEAP_NO_SERIALIZE | HEAP_GENERATE_EXCEPTIONS);
  if (size > MAX_REQUEST) return no_memory(flags);
  ULONG_T old = b->req;
  lock(h, flags);
  int done = resize_in_place(h, b, need_for(size));
  unlock(h, flags);
  if (done) {
    b->req = size;
    if ((flags & HEAP_ZERO_MEMORY) && size > old) memset((char *)p + old, 0, size - old);
    return p;
  }
  if (flags & HEAP_REALLOC_IN_PLACE_ONLY) return no_memory(flags);
  void *q = RtlAllocateHeap(h, flags & ~HEAP_ZERO_MEMORY, size);
  if (!q) return 0;
  memcpy(q, p, old);
  if (flags & HEAP_ZERO_MEMORY) memset((char *)q + old, 0, size - old);
  RtlFreeHeap(h, flags, p);
  return q;
}
