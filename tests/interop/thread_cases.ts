/**
 * Expected output of the threaded guest programs, shared by the qemu-riscv32
 * runner (`qemu_tests_test.ts`) and the Strata runner
 * (`tests/kernel/guest_programs_test.ts`), so both sides check the same text.
 * @module
 */

/** What `test_threads` prints (every line is deterministic). */
export const TEST_THREADS_OUTPUT: string = "threads: 4 workers counted to 8000 under a mutex\n" +
  "threads: producer/consumer passed 500 items, sum 125250\n" +
  "threads: once ran once, 4 key destructors, errno per thread\n" +
  "threads: errorcheck and recursive mutexes give EDEADLK, EPERM, EBUSY\n" +
  "threads: 3 detached threads posted a semaphore; barrier of 4\n" +
  "threads: pthread_kill hit its thread; kill went to the thread not blocking it\n";

/** What `test_robust` prints (Strata only: qemu-user has no robust lists). */
export const TEST_ROBUST_OUTPUT: string =
  "robust: owner-died marked and the waiter woken at the owner's exit\n";

/** What `test_clone` prints. */
export const TEST_CLONE_OUTPUT: string = "clone: bad flag combinations give EINVAL\n" +
  "futex: EINVAL, EFAULT, EAGAIN, ETIMEDOUT as Linux gives them; WAKE_OP, CMP_REQUEUE\n" +
  "exit_group from a thread: status 42\n" +
  "garbage stack pointer in a thread: process killed by SIGSEGV\n" +
  "main thread exits alone; the last thread's exit(3) ends the process\n";
