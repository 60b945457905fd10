/*
 * The user-mode end of unhandled exceptions: the executive starts a thread
 * that faulted at KiUserExceptionDispatcher(record, context) on its own
 * stack (plugins/personalities/win32/exceptions.ts). The filter set with
 * RtlSetUnhandledExceptionFilter (kernel32's SetUnhandledExceptionFilter)
 * sees EXCEPTION_POINTERS; EXCEPTION_CONTINUE_EXECUTION (-1) resumes the
 * context with NtContinue, anything else (or no filter) ends the process
 * with the exception code, as Windows' default handling does.
 * RtlRaiseStatus raises a software exception (EXCEPTION_NONCONTINUABLE, an
 * empty context) through the same filter; a filter asking to continue it
 * gets STATUS_NONCONTINUABLE_EXCEPTION instead.
 */
#include <strata/ntdll.h>

#define EXCEPTION_CONTINUE_EXECUTION (-1)
#define EXCEPTION_NONCONTINUABLE 0x1
#define STATUS_NONCONTINUABLE_EXCEPTION 0xC0000025u

struct exception_record {
  ULONG_T ExceptionCode;
  ULONG_T ExceptionFlags;
  struct exception_record *ExceptionRecord;
  void *ExceptionAddress;
  ULONG_T NumberParameters;
  ULONG_T ExceptionInformation[15];
};

typedef long (*top_filter)(void *pointers[2]);

NTSTATUS_T NtContinue(void *context, int testAlert);

static top_filter filter;

void *RtlSetUnhandledExceptionFilter(void *f) {
  return (void *)__atomic_exchange_n(&filter, (top_filter)f, __ATOMIC_ACQ_REL);
}

void KiUserExceptionDispatcher(struct exception_record *rec, void *context) {
  void *pointers[2] = {rec, context};
  top_filter f = __atomic_load_n(&filter, __ATOMIC_ACQUIRE);
  if (f && f(pointers) == EXCEPTION_CONTINUE_EXECUTION) NtContinue(context, 0);
  NtTerminateProcess((HANDLE_T)-1, (NTSTATUS_T)rec->ExceptionCode);
}

void RtlRaiseStatus(NTSTATUS_T status) {
  struct exception_record rec = {(ULONG_T)status, EXCEPTION_NONCONTINUABLE, 0, __builtin_return_address(0), 0, {0}};
  ULONG_T context[34] = {0};
  void *pointers[2] = {&rec, context};
  top_filter f = __atomic_load_n(&filter, __ATOMIC_ACQUIRE);
  if (f && f(pointers) == EXCEPTION_CONTINUE_EXECUTION) status = (NTSTATUS_T)STATUS_NONCONTINUABLE_EXCEPTION;
  NtTerminateProcess((HANDLE_T)-1, status);
}
