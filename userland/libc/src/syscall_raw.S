# __syscall6(n, a, b, c, d, e, f): the one trap into the kernel. Linux RISC-V
# convention: number in a7, arguments in a0-a5, result (or -errno) in a0.
	.text
	.globl __syscall6
	.type __syscall6, @function
__syscall6:
	mv a7, a0
	mv a0, a1
	mv a1, a2
	mv a2, a3
	mv a3, a4
	mv a4, a5
	mv a5, a6
	ecall
	ret
	.size __syscall6, . - __syscall6
