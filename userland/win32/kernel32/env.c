/*
 * The environment, kept in user memory as NT keeps it: the block
 * "NAME=value\0...\0\0" that the process parameters point to. Names compare
 * without case. SetEnvironmentVariableA builds a new block on the process
 * heap and points the parameters at it.
 */
#include "k32.h"

static int name_is(const char *entry, const char *name, size_t n) {
  if (strncmp(entry, "=", 1) == 0 && n && name[0] != '=') return 0;
  return k32_strnicmp(entry, name, n) == 0 && entry[n] == '=';
}

static const char *find(const char *name) {
  size_t n = strlen(name);
  const char *env = k32_params()->Environment;
  if (!env) return 0;
  for (const char *p = env; *p; p += strlen(p) + 1)
    if (name_is(p, name, n)) return p + n + 1;
  return 0;
}

DWORD WINAPI GetEnvironmentVariableA(LPCSTR name, LPSTR buf, DWORD size) {
  const char *v = name && *name ? find(name) : 0;
  if (!v) return k32_error(ERROR_ENVVAR_NOT_FOUND);
  size_t n = strlen(v);
  if (n + 1 > size) return n + 1;
  memcpy(buf, v, n + 1);
  SetLastError(0);
  return n;
}

static size_t block_size(const char *env) {
  if (!env) return 1;
  const char *p = env;
  while (*p) p += strlen(p) + 1;
  return p - env + 1;
}

static char *put_pair(char *out, const char *name, const char *value) {
  size_t n = strlen(name), v = strlen(value);
  memcpy(out, name, n);
  out[n] = '=';
  memcpy(out + n + 1, value, v + 1);
  return out + n + v + 2;
}

BOOL WINAPI SetEnvironmentVariableA(LPCSTR name, LPCSTR value) {
  if (!name || !*name || strchr(name + 1, '=')) return k32_error(ERROR_INVALID_PARAMETER);
  STRATA_PROCESS_PARAMETERS *pp = k32_params();
  const char *old = pp->Environment;
  size_t n = strlen(name), need = block_size(old) + (value ? n + strlen(value) + 2 : 0);
  char *block = RtlAllocateHeap(0, 0, need), *out = block;
  if (!block) return k32_error(ERROR_NOT_ENOUGH_MEMORY);
  int placed = 0;
  for (const char *p = old; p && *p; p += strlen(p) + 1) {
    size_t len = strlen(p);
    if (name_is(p, name, n)) continue;
    if (value && !placed && k32_strnicmp(p, name, n + 1) > 0) {
      out = put_pair(out, name, value);
      placed = 1;
    }
    memcpy(out, p, len + 1);
    out += len + 1;
  }
  if (value && !placed) out = put_pair(out, name, value);
  *out++ = 0;
  pp->Environment = block;
  pp->EnvironmentSize = out - block;
  return TRUE;
}

LPSTR WINAPI GetEnvironmentStringsA(void) {
  const char *env = k32_params()->Environment;
  size_t n = block_size(env);
  char *copy = RtlAllocateHeap(0, 0, n + 1);
  if (!copy) {
    k32_error(ERROR_NOT_ENOUGH_MEMORY);
    return 0;
  }
  if (env) memcpy(copy, env, n);
  else copy[0] = 0;
  copy[n] = 0;
  return copy;
}

BOOL WINAPI FreeEnvironmentStringsA(LPSTR block) { return RtlFreeHeap(0, 0, block); }
