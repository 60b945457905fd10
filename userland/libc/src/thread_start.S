# __clone_thread(flags, stack, ptid, tls, ctid, self): clone for a new
# thread. The control block is stored on the new stack before the call; the
# child (a0 = 0) takes it from there and enters __pthread_start, which never
# returns. The parent gets the tid or -errno.
	.text
	.globl __clone_thread
	.type __clone_thread, @function
__clone_thread:
	addi a1, a1, -16
	sw a5, 0(a1)
	li a7, 220
	ecall
	bnez a0, 1f
	lw a0, 0(sp)
	li ra, 0
	call __pthread_start
2:	j 2b
1:	ret
	.size __clone_thread, . - __clone_thread
