/*
 * ntdll's loader side: LdrInitializeThunk (the first instruction of every
 * Win32 process: DllMain of each DLL in load order, then the exe's entry,
 * then NtTerminateProcess), LoadLibrary's LdrLoadDll/LdrUnloadDll over the
 * executive's NtStrataLoadDll/NtStrataUnloadDll, and GetProcAddress's export
 * directory walk.
 */
#include <string.h>
#include <strata/ntdll.h>

typedef int (*dll_entry_fn)(void *base, unsigned reason, void *reserved);
typedef int (*exe_entry_fn)(void);


STRATA_PEB *RtlGetCurrentPeb(void) { return NtCurrentTeb()->Peb; }

static void attach(STRATA_LDR_MODULE *m) {
  if (!(m->Flags & STRATA_LDRF_DLL) || (m->Flags & STRATA_LDRF_ATTACHED)) return;
  m->Flags |= STRATA_LDRF_ATTACHED;
  if (m->EntryPoint) ((dll_entry_fn)m->EntryPoint)(m->DllBase, 1, (void *)1);
}

void LdrInitializeThunk(STRATA_PEB *peb, STRATA_TEB *teb) {
  (void)teb;
  STRATA_LDR_DATA *ldr = peb->Ldr;
  for (unsigned i = 1; i < ldr->Count; i++) attach(&ldr->Modules[i]);
  int code = 0;
  if (ldr->Modules[0].EntryPoint) code = ((exe_entry_fn)ldr->Modules[0].EntryPoint)();
  NtTerminateProcess((HANDLE_T)-1, code);
  for (;;) {
  }
}

static int same_name(const char *a, const char *b) {
  for (;; a++, b++) {
    char x = *a, y = *b;
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y) return 0;
    if (!x) return 1;
  }
}

/* The module whose base name is `name` (".dll" may be left off), or whose base is `base`. */
STRATA_LDR_MODULE *LdrFindModule(const char *name, void *base) {
  STRATA_LDR_DATA *ldr = RtlGetCurrentPeb()->Ldr;
  for (unsigned i = 0; i < ldr->Count; i++) {
    STRATA_LDR_MODULE *m = &ldr->Modules[i];
    if (base && m->DllBase == base) return m;
    if (!name) continue;
    const char *slash = name;
    for (const char *p = name; *p; p++)
      if (*p == '\\' || *p == '/') slash = p + 1;
    char full[72];
    size_t n = strlen(slash);
    if (n + 5 > sizeof full) continue;
    memcpy(full, slash, n + 1);
    if (!strchr(full, '.')) memcpy(full + n, ".dll", 5);
    if (same_name(full, m->BaseName)) return m;
  }
  return 0;
}

NTSTATUS_T LdrLoadDll(const char *name, void **base) {
  ULONG_T first = 0;
  NTSTATUS_T s = NtStrataLoadDll(name, strlen(name), base, &first);
  if (!NT_SUCCESS(s)) return s;
  STRATA_LDR_DATA *ldr = RtlGetCurrentPeb()->Ldr;
  for (unsigned i = first; i < ldr->Count; i++) attach(&ldr->Modules[i]);
  return s;
}

NTSTATUS_T LdrUnloadDll(void *base) {
  STRATA_LDR_MODULE *m = LdrFindModule(0, base);
  if (!m) return STATUS_DLL_NOT_FOUND;
  if (!(m->Flags & STRATA_LDRF_STATIC) && m->LoadCount == 1 && m->EntryPoint &&
      (m->Flags & STRATA_LDRF_ATTACHED))
    ((dll_entry_fn)m->EntryPoint)(m->DllBase, 0, 0);
  return NtStrataUnloadDll(base);
}

static unsigned u32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (unsigned)p[3] << 24; }

/* Looks `name` (or, when name is NULL, `ordinal`) up in the export directory at `base`. */
NTSTATUS_T LdrGetProcedureAddress(void *base, const char *name, ULONG_T ordinal, void **addr) {
  const unsigned char *img = base;
  const unsigned char *nt = img + u32(img + 0x3c);
  unsigned dir = u32(nt + 24 + 96), dirSize = u32(nt + 24 + 100);
  if (!dir) return STATUS_ENTRYPOINT_NOT_FOUND;
  const unsigned char *ex = img + dir;
  unsigned ordBase = u32(ex + 16), nFuncs = u32(ex + 20), nNames = u32(ex + 24);
  const unsigned char *funcs = img + u32(ex + 28), *names = img + u32(ex + 32);
  const unsigned char *ords = img + u32(ex + 36);
  unsigned index;
  if (name) {
    unsigned lo = 0, hi = nNames;
    for (;;) {
      if (lo >= hi) return STATUS_ENTRYPOINT_NOT_FOUND;
      unsigned mid = (lo + hi) / 2;
      int c = strcmp(name, (const char *)img + u32(names + 4 * mid));
      if (!c) {
        index = ords[2 * mid] | ords[2 * mid + 1] << 8;
        break;
      }
      if (c < 0) hi = mid;
      else lo = mid + 1;
    }
  } else {
    if (ordinal < ordBase || ordinal - ordBase >= nFuncs) return STATUS_ORDINAL_NOT_FOUND;
    index = ordinal - ordBase;
  }
  if (index >= nFuncs) return STATUS_ENTRYPOINT_NOT_FOUND;
  unsigned rva = u32(funcs + 4 * index);
  if (!rva || (rva >= dir && rva < dir + dirSize)) return STATUS_ENTRYPOINT_NOT_FOUND;
  *addr = (void *)(img + rva);
  return STATUS_SUCCESS;
}

int DllMain(void *base, unsigned reason, void *reserved) {
  (void)base, (void)reason, (void)reserved;
  return 1;
}
