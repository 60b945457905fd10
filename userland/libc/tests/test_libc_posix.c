/* test_libc_posix [DIR]: self-checking exercise of the libc's POSIX additions
 * (the integer-only build): scanf family, system, popen/pclose, exec*p,
 * bsearch, realpath, mkstemp/mkdtemp/tmpfile, basename/dirname, strsep,
 * poll/select, alarm/setitimer, clock, getrusage/getrlimit, the user and group
 * databases, locale, inttypes.h, sys/param.h and alloca. DIR is a scratch
 * directory (default /tmp). Prints "test_libc_posix: ok N" and exits 0, or
 * lists each failed check on stderr and exits 1. Kernel calls Strata does not
 * have (setitimer, prlimit64) must then fail with ENOSYS. */
#include <alloca.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int checks, failures;

static void check(int ok, const char *what, int line) {
  checks++;
  if (!ok) {
    failures++;
    fprintf(stderr, "FAIL line %d: %s\n", line, what);
  }
}
#define CHECK(e) check((e), #e, __LINE__)

static void test_sscanf(void) {
  int a = 0, b = 0, n = 0;
  unsigned u = 0;
  char s[16] = {0}, c[4] = {0};
  CHECK(sscanf("12 -34", "%d %d", &a, &b) == 2 && a == 12 && b == -34);
  CHECK(sscanf("  0x1f 017 10", "%i %i %i", &a, &b, &n) == 3 && a == 31 && b == 15 && n == 10);
  CHECK(sscanf("ff 777", "%x %o", &u, &a) == 2 && u == 255 && a == 511);
  CHECK(sscanf("12345", "%3d%d", &a, &b) == 2 && a == 123 && b == 45);
  CHECK(sscanf("abc def", "%s %n", s, &n) == 1 && strcmp(s, "abc") == 0 && n == 4);
  CHECK(sscanf("xyz", "%2c", c) == 1 && c[0] == 'x' && c[1] == 'y' && c[2] == 0);
  CHECK(sscanf("key=value,rest", "%[a-z]=%[^,]", s, c) == 2 && strcmp(s, "key") == 0);
  CHECK(sscanf("7 8", "%*d %d", &a) == 1 && a == 8);
  CHECK(sscanf("100%", "%d%%", &a) == 1 && a == 100);
  CHECK(sscanf("", "%d", &a) == EOF);
  CHECK(sscanf("   ", "%d", &a) == EOF);
  CHECK(sscanf("abc", "%d", &a) == 0);
  CHECK(sscanf("5 abc", "%d %d", &a, &b) == 1 && a == 5);
  signed char hh = 0;
  long long ll = 0;
  short h = 0;
  CHECK(sscanf("-5 123456789012 300", "%hhd %lld %hd", &hh, &ll, &h) == 3 && hh == -5 &&
        ll == 123456789012LL && h == 300);
  void *p = 0;
  CHECK(sscanf("0x1000", "%p", &p) == 1 && p == (void *)0x1000);
  CHECK(sscanf("a1b", "a%db", &a) == 1 && a == 1);
  CHECK(sscanf("a1c", "a%db%d", &a, &b) == 1);
}

static void test_fscanf(const char *dir) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/scan.txt", dir);
  FILE *f = fopen(path, "w");
  CHECK(f && fputs("10 20 word\n30\n", f) >= 0 && fclose(f) == 0);
  f = fopen(path, "r");
  int a = 0, b = 0, c = 0;
  char w[8];
  CHECK(f && fscanf(f, "%d %d %7s", &a, &b, w) == 3 && a == 10 && b == 20 && strcmp(w, "word") == 0);
  CHECK(f && fscanf(f, "%d", &c) == 1 && c == 30 && fscanf(f, "%d", &c) == EOF);
  if (f) fclose(f);
  /* scanf reads stdin: put the file there (nothing has read stdin yet). */
  int saved = dup(0), fd = open(path, O_RDONLY);
  CHECK(fd >= 0 && dup2(fd, 0) == 0);
  CHECK(scanf("%d %d", &a, &b) == 2 && a == 10 && b == 20);
  dup2(saved, 0);
  close(saved);
  close(fd);
  unlink(path);
}

static void test_processes(const char *dir) {
  CHECK(system(0) != 0);
  int st = system("exit 3");
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
  FILE *p = popen("echo hello; echo world", "r");
  char line[32] = {0};
  CHECK(p && fgets(line, sizeof line, p) && strcmp(line, "hello\n") == 0);
  CHECK(p && fgets(line, sizeof line, p) && strcmp(line, "world\n") == 0);
  CHECK(p && fgets(line, sizeof line, p) == 0);
  CHECK(p && pclose(p) == 0);
  char cmd[PATH_MAX + 32], path[PATH_MAX];
  snprintf(path, sizeof path, "%s/popen.txt", dir);
  snprintf(cmd, sizeof cmd, "cat > %s; exit 4", path);
  p = popen(cmd, "w");
  CHECK(p && fputs("through the pipe\n", p) >= 0);
  st = p ? pclose(p) : -1;
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 4);
  FILE *f = fopen(path, "r");
  CHECK(f && fgets(line, sizeof line, f) && strcmp(line, "through the pipe\n") == 0);
  if (f) fclose(f);
  unlink(path);
  CHECK(popen("true", "x") == 0 && errno == EINVAL);
  CHECK(pclose(stdout) == -1);
  pid_t c = fork();
  if (c == 0) {
    execlp("sh", "sh", "-c", "exit 7", (char *)0);
    _exit(99);
  }
  CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 7);
  c = fork();
  if (c == 0) {
    execlp("no-such-program-here", "x", (char *)0);
    _exit(errno == ENOENT ? 5 : 6);
  }
  CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 5);
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return x < y ? -1 : x > y;
}

static void test_search_and_strings(void) {
  int v[] = {1, 3, 5, 7, 9, 11};
  for (int k = 0; k <= 12; k++) {
    int *r = bsearch(&k, v, 6, sizeof v[0], cmp_int);
    CHECK((k & 1) && k <= 11 ? r && *r == k : r == 0);
  }
  CHECK(bsearch(&v[0], v, 0, sizeof v[0], cmp_int) == 0);
  char buf[] = "a,b,,c", *s = buf;
  CHECK(strcmp(strsep(&s, ","), "a") == 0 && strcmp(strsep(&s, ","), "b") == 0);
  CHECK(strcmp(strsep(&s, ","), "") == 0 && strcmp(strsep(&s, ","), "c") == 0 && s == 0);
  CHECK(strsep(&s, ",") == 0);
  static const char *const cases[][3] = {
      {"/usr/lib", "lib", "/usr"}, {"/usr/", "usr", "/"}, {"usr", "usr", "."},
      {"/", "/", "/"},             {".", ".", "."},       {"..", "..", "."},
      {"//a//b//", "b", "//a"},    {"", ".", "."},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char x[32], y[32];
    strcpy(x, cases[i][0]);
    strcpy(y, cases[i][0]);
    CHECK(strcmp(basename(x), cases[i][1]) == 0);
    CHECK(strcmp(dirname(y), cases[i][2]) == 0);
  }
  CHECK(strcmp(basename(0), ".") == 0 && strcmp(dirname(0), ".") == 0);
  char num[64];
  snprintf(num, sizeof num, "%" PRId64 " %" PRIx32 " %" PRIu8, (int64_t)-5000000000LL,
           (uint32_t)0xbeef, (uint8_t)200);
  CHECK(strcmp(num, "-5000000000 beef 200") == 0);
  char *end;
  CHECK(strtoimax("-42x", &end, 10) == -42 && *end == 'x' && strtoumax("ff", 0, 16) == 255);
  imaxdiv_t d = imaxdiv(-7, 2);
  CHECK(d.quot == -3 && d.rem == -1 && imaxabs(-9) == 9);
  CHECK(MIN(3, 4) == 3 && MAX(3, 4) == 4 && howmany(10, 4) == 3 && roundup(10, 4) == 12);
  CHECK(MAXPATHLEN == PATH_MAX && powerof2(64) && !powerof2(65));
  char *stack = alloca(100);
  memset(stack, 'z', 100);
  CHECK(stack[99] == 'z');
  CHECK(strcmp(setlocale(LC_ALL, ""), "C") == 0 && strcmp(setlocale(LC_NUMERIC, 0), "C") == 0);
  CHECK(strcmp(setlocale(LC_ALL, "POSIX"), "C") == 0 && setlocale(LC_ALL, "de_DE.UTF-8") == 0);
  CHECK(strcmp(localeconv()->decimal_point, ".") == 0 && localeconv()->grouping[0] == 0);
}

static void test_paths(const char *dir) {
  char base[PATH_MAX], p[PATH_MAX], want[PATH_MAX], got[PATH_MAX];
  CHECK(realpath(dir, base) == base && base[0] == '/');
  snprintf(p, sizeof p, "%s/rp", base);
  mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/rp/sub", base);
  mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/rp/link", base);
  unlink(p);
  CHECK(symlink("sub", p) == 0);
  snprintf(p, sizeof p, "%s/rp/loop", base);
  unlink(p);
  CHECK(symlink("loop", p) == 0);
  snprintf(p, sizeof p, "%s//rp/./link/../link/", base);
  snprintf(want, sizeof want, "%s/rp/sub", base);
  CHECK(realpath(p, got) && strcmp(got, want) == 0);
  char *m = realpath(p, 0);
  CHECK(m && strcmp(m, want) == 0);
  free(m);
  snprintf(p, sizeof p, "%s/rp/missing", base);
  CHECK(realpath(p, got) == 0 && errno == ENOENT);
  snprintf(p, sizeof p, "%s/rp/loop", base);
  CHECK(realpath(p, got) == 0 && errno == ELOOP);
  CHECK(realpath("", got) == 0 && errno == ENOENT);
  snprintf(p, sizeof p, "%s/rp/tXXXXXX", base);
  int fd = mkstemp(p);
  struct stat st;
  CHECK(fd >= 0 && strncmp(p + strlen(p) - 8, "/t", 2) == 0 && strstr(p, "XXXXXX") == 0);
  CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0600 && S_ISREG(st.st_mode));
  if (fd >= 0) close(fd);
  unlink(p);
  char bad[] = "nox";
  CHECK(mkstemp(bad) == -1 && errno == EINVAL);
  snprintf(p, sizeof p, "%s/rp/dXXXXXX", base);
  CHECK(mkdtemp(p) == p && stat(p, &st) == 0 && S_ISDIR(st.st_mode));
  rmdir(p);
  FILE *t = tmpfile();
  char line[16] = {0};
  CHECK(t && fputs("temp", t) >= 0 && fflush(t) == 0);
  if (t) rewind(t);
  CHECK(t && fgets(line, sizeof line, t) && strcmp(line, "temp") == 0);
  if (t) fclose(t);
  snprintf(p, sizeof p, "%s/rp/link", base);
  unlink(p);
  snprintf(p, sizeof p, "%s/rp/loop", base);
  unlink(p);
  snprintf(p, sizeof p, "%s/rp/sub", base);
  rmdir(p);
  snprintf(p, sizeof p, "%s/rp", base);
  CHECK(rmdir(p) == 0);
}

static void test_poll_select(void) {
  int fds[2];
  CHECK(pipe(fds) == 0);
  struct pollfd pf[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLOUT, 0}};
  CHECK(poll(pf, 2, 0) == 1 && pf[0].revents == 0 && pf[1].revents == POLLOUT);
  CHECK(write(fds[1], "x", 1) == 1);
  CHECK(poll(pf, 1, -1) == 1 && pf[0].revents == POLLIN);
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(fds[0], &rd);
  struct timeval tv = {1, 0};
  CHECK(select(fds[0] + 1, &rd, 0, 0, &tv) == 1 && FD_ISSET(fds[0], &rd));
  char c;
  CHECK(read(fds[0], &c, 1) == 1);
  FD_ZERO(&rd);
  FD_SET(fds[0], &rd);
  tv.tv_sec = 0;
  tv.tv_usec = 10000;
  CHECK(select(fds[0] + 1, &rd, 0, 0, &tv) == 0 && !FD_ISSET(fds[0], &rd) && tv.tv_usec == 0);
  tv.tv_usec = 1000000;
  CHECK(select(1, 0, 0, 0, &tv) == -1 && errno == EINVAL);
  close(fds[0]);
  close(fds[1]);
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) {
  (void)sig;
  alarms++;
}

static void test_timers_and_usage(void) {
  signal(SIGALRM, on_alarm);
  errno = 0;
  unsigned left = alarm(5);
  /* One check either way, so the count is the same on every system. */
  if (left == (unsigned)-1) {
    CHECK(errno == ENOSYS); /* a kernel without interval timers */
  } else {
    int ok = left == 0 && alarm(0) == 5;
    struct itimerval it = {{0, 0}, {0, 20000}}, old;
    ok = ok && setitimer(ITIMER_REAL, &it, 0) == 0;
    while (ok && !alarms) pause();
    CHECK(ok && alarms == 1 && getitimer(ITIMER_REAL, &old) == 0 && old.it_value.tv_sec == 0 &&
          old.it_value.tv_usec == 0);
  }
  signal(SIGALRM, SIG_DFL);
  clock_t c0 = clock();
  volatile unsigned x = 0;
  for (int i = 0; i < 3000000; i++) x += (unsigned)i;
  clock_t c1 = clock();
  CHECK(c0 >= 0 && c1 > c0 && x != 1);
  struct rusage ru;
  CHECK(getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_utime.tv_sec >= 0 &&
        ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000 &&
        ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000 +
                ru.ru_stime.tv_usec > 0);
  CHECK(getrusage(12345, &ru) == -1 && errno == EINVAL);
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) CHECK(rl.rlim_cur <= rl.rlim_max && rl.rlim_cur >= 3);
  else CHECK(errno == ENOSYS);
}

/* Checks the databases against /etc/passwd and /etc/group; where there are
 * none (Strata's default root), writes a small pair first and removes it. */
static void test_users(void) {
  int made = 0;
  if (access("/etc/passwd", F_OK) != 0 && access("/etc/group", F_OK) != 0) {
    mkdir("/etc", 0755);
    FILE *f = fopen("/etc/passwd", "w"), *g = fopen("/etc/group", "w");
    if (f && g) {
      fputs("root:x:0:0:root:/root:/bin/sh\nbad line\nalice:x:1000:100:Alice A:/home/a:/bin/sh\n",
            f);
      fputs("root:x:0:\nusers:x:100:alice,bob\n", g);
      made = 1;
    }
    if (f) fclose(f);
    if (g) fclose(g);
  }
  struct passwd *pw = getpwuid(0);
  CHECK(pw && strcmp(pw->pw_name, "root") == 0 && pw->pw_uid == 0 && pw->pw_gid == 0 &&
        pw->pw_dir[0] == '/');
  pw = getpwnam("root");
  CHECK(pw && pw->pw_uid == 0);
  CHECK(getpwnam("no-such-user-xyz") == 0 && getpwuid(4000000000u) == 0);
  struct group *gr = getgrgid(0);
  CHECK(gr && strcmp(gr->gr_name, "root") == 0 && gr->gr_gid == 0 && gr->gr_mem);
  CHECK(getgrnam("root") && getgrnam("root")->gr_gid == 0 && getgrgid(4000000000u) == 0);
  /* One check either way, so the count is the same on every system. */
  if (made) {
    pw = getpwnam("alice");
    int alice = pw && pw->pw_uid == 1000 && pw->pw_gid == 100 &&
                strcmp(pw->pw_gecos, "Alice A") == 0;
    gr = getgrgid(100);
    int users = gr && strcmp(gr->gr_mem[0], "alice") == 0 && strcmp(gr->gr_mem[1], "bob") == 0 &&
                gr->gr_mem[2] == 0;
    unlink("/etc/passwd");
    unlink("/etc/group");
    CHECK(alice && users && getpwuid(0) == 0);
  } else {
    pw = getpwnam("root");
    gr = getgrnam("root");
    CHECK(pw && getpwuid(pw->pw_uid) && gr && getgrgid(gr->gr_gid));
  }
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/tmp";
  test_sscanf();
  test_fscanf(dir);
  test_processes(dir);
  test_search_and_strings();
  test_paths(dir);
  test_poll_select();
  test_timers_and_usage();
  test_users();
  if (failures) {
    printf("test_libc_posix: %d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("test_libc_posix: ok %d\n", checks);
  return 0;
}
