/* Module calls: delete_module (Linux's) and Strata's load/swap/info. */
#include <sys/module.h>
#include <sys/syscall.h>

#include "internal.h"

int strata_module_load(const char *name, const char *params) {
  return (int)__sys_ret(__sc2(SYS_strata_module_load, name, params));
}
int strata_module_swap(const char *old_name, const char *new_name) {
  return (int)__sys_ret(__sc2(SYS_strata_module_swap, old_name, new_name));
}
int strata_module_info(const char *name, char *buf, size_t size) {
  return (int)__sys_ret(__sc3(SYS_strata_module_info, name, buf, size));
}
int delete_module(const char *name, unsigned int flags) {
  return (int)__sys_ret(__sc2(SYS_delete_module, name, flags));
}
