/* After fork, writes in the child are invisible to the parent and vice
 * versa, for data, bss, heap and stack pages. */
#include <stdlib.h>

#include "check.h"

static int data_word = 1111;
static char bss_page[8192];

int main(void) {
  volatile int stack_word = 2222;
  int *heap = malloc(64 * 1024);
  CHECK(heap != NULL, "malloc");
  for (int i = 0; i < 16 * 1024; i++) heap[i] = i;
  bss_page[4096] = 'p';
  int to_child[2], to_parent[2];
  CHECK(pipe(to_child) == 0 && pipe(to_parent) == 0, "pipe");
  pid_t pid = fork();
  CHECK(pid >= 0, "fork");
  if (pid == 0) {
    char c;
    data_word = 3333;
    stack_word = 4444;
    heap[1000] = -1;
    bss_page[4096] = 'c';
    write(to_parent[1], "w", 1); /* child wrote */
    if (read(to_child[0], &c, 1) != 1) _exit(10);
    /* The parent has written its own values meanwhile. */
    if (data_word != 3333) _exit(11);
    if (stack_word != 4444) _exit(12);
    if (heap[1000] != -1 || heap[1001] != 1001) _exit(13);
    if (bss_page[4096] != 'c') _exit(14);
    _exit(0);
  }
  char c;
  CHECK(read(to_parent[0], &c, 1) == 1, "child signalled");
  CHECK(data_word == 1111, "data unchanged by child write");
  CHECK(stack_word == 2222, "stack unchanged by child write");
  CHECK(heap[1000] == 1000, "heap unchanged by child write");
  CHECK(bss_page[4096] == 'p', "bss unchanged by child write");
  data_word = 5555;
  stack_word = 6666;
  heap[1000] = -2;
  bss_page[4096] = 'q';
  write(to_child[1], "g", 1);
  int st = wait_for(pid);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    dprintf(2, "FAIL: child saw parent's writes (code %d)\n", WEXITSTATUS(st));
    return 1;
  }
  CHECK(data_word == 5555 && stack_word == 6666 && heap[1000] == -2 && bss_page[4096] == 'q',
        "parent keeps its own writes");
  dprintf(1, "cow: data, bss, heap and stack private after fork\n");
  return 0;
}
