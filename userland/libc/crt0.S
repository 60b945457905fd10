# Program entry. The kernel (or qemu-riscv32) leaves the Linux initial stack at
# sp: argc, argv[], NULL, envp[], NULL, auxv pairs. No gp setup: everything is
# built with -mno-relax, so nothing is addressed relative to gp.
	.section .text._start, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	mv a0, sp          # pointer to argc for __libc_start
	andi sp, sp, -16   # ABI stack alignment for the C code
	li ra, 0           # end of the call chain for debuggers
	call __libc_start
1:	j 1b               # __libc_start never returns
	.size _start, . - _start
