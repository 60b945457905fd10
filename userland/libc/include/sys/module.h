/* Kernel modules. Strata loads modules by name from trusted host
 * directories (a guest never supplies module code), so instead of Linux's
 * init_module/finit_module there are three Strata calls; delete_module is
 * Linux's (O_TRUNC forces, O_NONBLOCK is accepted). */
#ifndef _SYS_MODULE_H
#define _SYS_MODULE_H

#include <stddef.h>

/* Loads NAME or NAME@FILE with "key=value ..." parameters (NULL: none). */
int strata_module_load(const char *name, const char *params);
/* Replaces the loaded module OLD by NEW (NAME or NAME@FILE). */
int strata_module_swap(const char *old_name, const char *new_name);
/* modinfo text of NAME into BUF: its length, or -1 (ERANGE when it does not fit). */
int strata_module_info(const char *name, char *buf, size_t size);
/* Unloads NAME. */
int delete_module(const char *name, unsigned int flags);

#endif
