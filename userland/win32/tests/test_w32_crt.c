/* The C runtime: printf family, string functions and their Microsoft
 * extras, the heap, qsort/atoi, and text versus binary streams (a text
 * stream writes "\r\n" for "\n"). Prints its results; exits with the number
 * of failed expectations. */
#include "w32check.h"

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return x < y ? -1 : x > y;
}

static void formatting(void) {
  char buf[64];
  printf("ints [%d] [%5d] [%-5d|] [%05d] [%+d] [%u] [%x] [%X] [%#x] [%o]\n", -42, 42, 42, 42, 42,
         3000000000u, 255, 255, 255, 8);
  printf("strings [%s] [%10s] [%-6s|] [%.2s] [%c] [%%]\n", "abc", "right", "left", "truncate", 'z');
  printf("longs [%ld] [%lu] [%lld] [%llx]\n", -123456789L, 4000000000UL, -9000000000LL, 0x123456789abcULL);
  printf("floats [%.3f] [%e] [%g] [%8.2f] [%.0f]\n", 3.14159, 12345.678, 0.0001, -2.5, 2.5);
  int n = sprintf(buf, "%s-%d", "id", 7);
  CHECK("sprintf", n, 4, -1);
  printf("sprintf gave %s\n", buf);
  n = snprintf(buf, 5, "%s", "truncated");
  CHECK("snprintf returns the full length", n, 9, -1);
  printf("snprintf kept %s\n", buf);
  fprintf(stdout, "fprintf to stdout %d\n", 1);
  puts("puts line");
  fputs("fputs text\n", stdout);
  putchar('!');
  putchar('\n');
  CHECK("fflush", fflush(stdout), 0, -1);
}

static void strings(void) {
  CHECK("strcmp", strcmp("abc", "abd") < 0, 1, -1);
  CHECK("_stricmp equal", _stricmp("HeLLo", "hello"), 0, -1);
  CHECK("_stricmp order", _stricmp("apple", "BANANA") < 0, 1, -1);
  char *d = _strdup("duplicate");
  CHECK("_strdup", d && !strcmp(d, "duplicate"), 1, -1);
  free(d);
  char buf[32] = "abc";
  strcat(buf, "def");
  CHECK("strcat/strlen", strlen(buf), 6, -1);
  CHECK("strchr", strchr(buf, 'd') - buf, 3, -1);
  CHECK("strrchr", strrchr("a/b/c", '/') != NULL, 1, -1);
  CHECK("strstr", strstr("haystack", "st") - (char *)0 != 0, 1, -1);
  CHECK("strncmp", strncmp("abcdef", "abcxyz", 3), 0, -1);
  CHECK("memcmp", memcmp("ab", "ac", 2) < 0, 1, -1);
  CHECK("atoi", atoi("  -1234xyz"), -1234, -1);
  CHECK("strtol hex", strtol("0x1f", NULL, 16), 31, -1);
  CHECK("strtoul base 0 octal", (long)strtoul("017", NULL, 0), 15, -1);
}

static void heap(void) {
  int *v = malloc(100 * sizeof *v);
  for (int i = 0; i < 100; i++) v[i] = (i * 37) % 101;
  qsort(v, 100, sizeof *v, cmp_int);
  int sorted = 1;
  for (int i = 1; i < 100; i++) sorted &= v[i - 1] <= v[i];
  CHECK("qsort", sorted, 1, -1);
  printf("qsort first %d last %d\n", v[0], v[99]);
  v = realloc(v, 10000 * sizeof *v);
  CHECK("realloc keeps the data", v[99], 100, -1);
  free(v);
  char *z = calloc(1000, 1);
  int zero = 1;
  for (int i = 0; i < 1000; i++) zero &= z[i] == 0;
  CHECK("calloc zeroes", zero, 1, -1);
  free(z);
  void *blocks[200];
  for (int i = 0; i < 200; i++) blocks[i] = malloc(1 + i * 61);
  for (int i = 0; i < 200; i += 2) free(blocks[i]);
  for (int i = 0; i < 200; i += 2) blocks[i] = malloc(3000);
  int ok = 1;
  for (int i = 0; i < 200; i++) ok &= blocks[i] != NULL;
  CHECK("many blocks", ok, 1, -1);
  for (int i = 0; i < 200; i++) free(blocks[i]);
}

static void streams(void) {
  FILE *f = fopen("text.txt", "w");
  CHECK("fopen w", f != NULL, 1, -1);
  fprintf(f, "line one\nline two\n");
  CHECK("fclose", fclose(f), 0, -1);
  f = fopen("text.txt", "rb");
  char raw[64];
  size_t n = fread(raw, 1, sizeof raw, f);
  fclose(f);
  CHECK("text mode wrote CRLF (bytes on disk)", (long)n, 20, -1);
  f = fopen("text.txt", "r");
  char line[32];
  int lines = 0;
  while (fgets(line, sizeof line, f)) {
    lines++;
    printf("read back: %s", line);
  }
  CHECK("fgets lines", lines, 2, -1);
  CHECK("feof", feof(f) != 0, 1, -1);
  fclose(f);
  f = fopen("bin.dat", "wb");
  CHECK("fwrite binary", (long)fwrite("a\nb\n", 1, 4, f), 4, -1);
  fclose(f);
  f = fopen("bin.dat", "rb");
  CHECK("binary size", (long)fread(raw, 1, sizeof raw, f), 4, -1);
  CHECK("fseek", fseek(f, 2, SEEK_SET), 0, -1);
  CHECK("ftell", ftell(f), 2, -1);
  CHECK("fgetc after fseek", fgetc(f), 'b', -1);
  fclose(f);
  f = fopen("bin.dat", "a");
  fputs("c\n", f);
  fclose(f);
  f = fopen("bin.dat", "rb");
  CHECK("append in text mode", (long)fread(raw, 1, sizeof raw, f), 7, -1);
  fclose(f);
  CHECK("fopen missing", fopen("missing.txt", "r") == NULL, 1, -1);
  DeleteFileA("text.txt");
  DeleteFileA("bin.dat");
}

static void at_exit(void) { printf("atexit handler ran\n"); }

int main(int argc, char **argv) {
  printf("argc %d argv0 ends in %s\n", argc, strstr(argv[0], "test_w32_crt") ? "test_w32_crt" : argv[0]);
  formatting();
  strings();
  heap();
  streams();
  atexit(at_exit);
  printf("failures: %d\n", failures);
  exit(failures);
}
