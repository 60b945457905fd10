/* Forks a binary tree of depth 3; every process waits for its children and
 * exits with the size of its subtree, so the root sees 15 only if every exit
 * code propagated. */
#include "check.h"

static int node(int depth) {
  if (depth == 0) return 1;
  pid_t kids[2];
  for (int i = 0; i < 2; i++) {
    kids[i] = fork();
    CHECK(kids[i] >= 0, "fork");
    if (kids[i] == 0) _exit(node(depth - 1));
  }
  int total = 1;
  for (int i = 0; i < 2; i++) {
    int st = wait_for(kids[i]);
    CHECK(WIFEXITED(st), "child exited normally");
    total += WEXITSTATUS(st);
  }
  /* No children left to wait for. */
  CHECK_ERR(waitpid(-1, NULL, WNOHANG), ECHILD, "waitpid with no children");
  return total;
}

int main(void) {
  int n = node(3);
  CHECK(n == 15, "tree of depth 3 has 15 processes");
  dprintf(1, "fork tree: depth 3, %d processes, all reaped\n", n);
  return 0;
}
