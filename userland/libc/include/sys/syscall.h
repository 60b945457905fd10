/* Linux RISC-V 32-bit (asm-generic) system call numbers used by the Strata libc.
 * rv32 has only the 64-bit time variants; there is no wait4, fstat or nanosleep. */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H

#define SYS_getcwd 17
#define SYS_dup 23
#define SYS_dup3 24
#define SYS_fcntl64 25
#define SYS_ioctl 29
#define SYS_mkdirat 34
#define SYS_unlinkat 35
#define SYS_symlinkat 36
#define SYS_linkat 37
#define SYS_ftruncate64 46
#define SYS_faccessat 48
#define SYS_chdir 49
#define SYS_fchdir 50
#define SYS_fchmodat 53
#define SYS_openat 56
#define SYS_close 57
#define SYS_pipe2 59
#define SYS_getdents64 61
#define SYS_llseek 62
#define SYS_read 63
#define SYS_write 64
#define SYS_readv 65
#define SYS_writev 66
#define SYS_readlinkat 78
#define SYS_fsync 82
#define SYS_exit 93
#define SYS_exit_group 94
#define SYS_waitid 95
#define SYS_set_tid_address 96
#define SYS_delete_module 106
#define SYS_sched_setparam 118
#define SYS_sched_setscheduler 119
#define SYS_sched_getscheduler 120
#define SYS_sched_getparam 121
#define SYS_sched_yield 124
#define SYS_sched_get_priority_max 125
#define SYS_sched_get_priority_min 126
#define SYS_setpriority 140
#define SYS_getpriority 141
#define SYS_sched_setattr 274
#define SYS_sched_getattr 275
#define SYS_sched_rr_get_interval_time64 423
#define SYS_kill 129
#define SYS_tgkill 131
#define SYS_rt_sigsuspend 133
#define SYS_rt_sigaction 134
#define SYS_rt_sigprocmask 135
#define SYS_rt_sigpending 136
#define SYS_rt_sigreturn 139
#define SYS_syslog 116
#define SYS_reboot 142
#define SYS_getitimer 102
#define SYS_setitimer 103
#define SYS_setpgid 154
#define SYS_getpgid 155
#define SYS_getsid 156
#define SYS_setsid 157
#define SYS_uname 160
#define SYS_getrusage 165
#define SYS_umask 166
#define SYS_getpid 172
#define SYS_getppid 173
#define SYS_getuid 174
#define SYS_geteuid 175
#define SYS_getgid 176
#define SYS_getegid 177
#define SYS_gettid 178
#define SYS_brk 214
#define SYS_munmap 215
#define SYS_clone 220
#define SYS_execve 221
#define SYS_mmap2 222
#define SYS_mprotect 226
#define SYS_prlimit64 261
#define SYS_renameat2 276
#define SYS_statx 291
#define SYS_clock_gettime64 403
#define SYS_clock_nanosleep_time64 407
#define SYS_utimensat_time64 412
#define SYS_pselect6_time64 413
#define SYS_ppoll_time64 414

/* Strata's own calls. */
#define SYS_strata_module_load 1000
#define SYS_strata_module_swap 1001
#define SYS_strata_module_info 1002

#endif
