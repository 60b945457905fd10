/*
 * Strata Win32 process environment: the blocks the executive builds in the
 * user memory of every Win32 process before its first instruction, and the
 * native structures the native calls read and write (NT layouts, ILP32).
 *
 * Owned by the executive (plugins/personalities/win32/); ntdll reads it.
 * Every type carries a STRATA_ prefix so windows.h may include this file
 * and typedef the NT names over it without clashes.
 *
 * Process start (the first thread):
 *   pc = ntdll's exported LdrInitializeThunk, a0 = STRATA_PEB *, a1 = STRATA_TEB *,
 *   tp = STRATA_TEB *, sp = top of the stack (16-byte aligned).
 *   LdrInitializeThunk calls, for i = 1 .. Ldr->Count-1 in order, the
 *   EntryPoint of every module with STRATA_LDRF_DLL set as
 *   DllMain(DllBase, DLL_PROCESS_ATTACH, (void *)1) (sets STRATA_LDRF_ATTACHED),
 *   then the exe's entry point (Modules[0].EntryPoint), then
 *   NtTerminateProcess(-1, result) (-1: the current process).
 *   Modules[1..] are in initialisation order: every DLL after the DLLs it
 *   imports; ntdll.dll is Modules[1], kernel32.dll Modules[2].
 *
 * Addresses: do not assume them; use the pointers passed in a0/a1. Today the
 * PEB is at STRATA_PEB_ADDRESS, the TEB one page above, the process
 * parameters (with their strings and the environment block) after it, and
 * the module table after those.
 */
#ifndef STRATA_PEB_H
#define STRATA_PEB_H

#define STRATA_PEB_VERSION 1
#define STRATA_PEB_ADDRESS 0x7ffd0000u
#define STRATA_MAX_PATH 260
#define STRATA_MAX_MODULES 32

typedef unsigned int STRATA_ULONG;    /* 32 bits on RV32 */
typedef unsigned short STRATA_USHORT;
typedef void *STRATA_HANDLE;

/* ---- native structures (the NT layouts for 32-bit processes) ---- */

/* UNICODE_STRING: Length and MaximumLength in bytes, Buffer UTF-16LE (no NUL needed). */
typedef struct STRATA_UNICODE_STRING {
  STRATA_USHORT Length;
  STRATA_USHORT MaximumLength;
  unsigned short *Buffer;
} STRATA_UNICODE_STRING; /* 8 bytes */

/*
 * OBJECT_ATTRIBUTES. ObjectName is an NT path ("\??\C:\dir\file.txt",
 * "\Device\NamedPipe\x", "\BaseNamedObjects\name") or, with RootDirectory
 * set to a directory handle, a name relative to it. Attributes:
 * OBJ_INHERIT 0x2, OBJ_CASE_INSENSITIVE 0x40 (names are always compared
 * without case; the flag is accepted).
 */
typedef struct STRATA_OBJECT_ATTRIBUTES {
  STRATA_ULONG Length; /* sizeof = 24 */
  STRATA_HANDLE RootDirectory;
  STRATA_UNICODE_STRING *ObjectName;
  STRATA_ULONG Attributes;
  void *SecurityDescriptor;       /* ignored */
  void *SecurityQualityOfService; /* ignored */
} STRATA_OBJECT_ATTRIBUTES; /* 24 bytes */

/* IO_STATUS_BLOCK: final status and the byte count / create disposition taken. */
typedef struct STRATA_IO_STATUS_BLOCK {
  int Status;
  STRATA_ULONG Information;
} STRATA_IO_STATUS_BLOCK; /* 8 bytes */

/* LARGE_INTEGER: FILETIME values (100 ns since 1601-01-01 UTC), offsets, timeouts. */
typedef struct STRATA_LARGE_INTEGER {
  STRATA_ULONG LowPart;
  int HighPart;
} STRATA_LARGE_INTEGER; /* 8 bytes */

/* ---- the loaded-module table (GetModuleHandle, GetProcAddress, GetModuleFileName) ---- */

#define STRATA_LDRF_DLL 0x1      /* a DLL (Modules[0], the exe, has it clear) */
#define STRATA_LDRF_ATTACHED 0x2 /* ntdll has called DllMain(DLL_PROCESS_ATTACH) */
#define STRATA_LDRF_STATIC 0x4   /* loaded at process start: never unloaded */

typedef struct STRATA_LDR_MODULE {
  void *DllBase;             /* where the image is mapped (after any rebase) */
  STRATA_ULONG SizeOfImage;  /* from the optional header */
  void *EntryPoint;          /* DllBase + AddressOfEntryPoint, or 0 if none */
  STRATA_ULONG Flags;        /* STRATA_LDRF_* */
  STRATA_ULONG LoadCount;    /* LoadLibrary references; 0xffffffff when STATIC */
  STRATA_ULONG Reserved;
  char BaseName[64];         /* "kernel32.dll", the case as found on disk */
  char FullName[STRATA_MAX_PATH]; /* "C:\Windows\System32\kernel32.dll" */
} STRATA_LDR_MODULE; /* 348 bytes */

typedef struct STRATA_LDR_DATA {
  STRATA_ULONG Count;    /* entries in use */
  STRATA_ULONG Capacity; /* STRATA_MAX_MODULES */
  STRATA_LDR_MODULE Modules[STRATA_MAX_MODULES];
} STRATA_LDR_DATA;

/* ---- process parameters (RTL_USER_PROCESS_PARAMETERS, reduced; strings ANSI) ---- */

/* Flags of STRATA_PROCESS_PARAMETERS. */
#define STRATA_PP_USE_STD_HANDLES 0x1 /* STARTF_USESTDHANDLES: the three handles below are the child's */

typedef struct STRATA_PROCESS_PARAMETERS {
  STRATA_ULONG MaximumLength; /* bytes of this block with its strings */
  STRATA_ULONG Length;
  STRATA_ULONG Flags;         /* STRATA_PP_* */
  STRATA_ULONG ShowWindow;    /* unused, 0 */
  STRATA_HANDLE StandardInput;  /* handle values in this process's table */
  STRATA_HANDLE StandardOutput;
  STRATA_HANDLE StandardError;
  char *ImagePathName;   /* Win32 path of the exe: "C:\bin\hostname.exe" */
  char *CommandLine;     /* as passed to CreateProcessA (ANSI) */
  char *Environment;     /* "NAME=value\0NAME=value\0\0", sorted as given */
  STRATA_ULONG EnvironmentSize; /* bytes including the final NUL */
  char CurrentDirectory[STRATA_MAX_PATH]; /* "C:\dir\" with a trailing backslash */
} STRATA_PROCESS_PARAMETERS;

/* ---- PEB and TEB ---- */

typedef struct STRATA_PEB {
  STRATA_ULONG Size;    /* sizeof(STRATA_PEB) */
  STRATA_ULONG Version; /* STRATA_PEB_VERSION */
  void *ImageBaseAddress;
  STRATA_PROCESS_PARAMETERS *ProcessParameters;
  STRATA_LDR_DATA *Ldr;
  STRATA_ULONG ProcessId;
  STRATA_ULONG ParentProcessId;
  STRATA_ULONG NumberOfProcessors;
  STRATA_ULONG OSMajorVersion; /* 10 */
  STRATA_ULONG OSMinorVersion; /* 0 */
  STRATA_ULONG OSBuildNumber;
  STRATA_ULONG SessionId;
} STRATA_PEB;

typedef struct STRATA_TEB {
  struct STRATA_TEB *Self;
  STRATA_PEB *Peb;
  STRATA_ULONG ProcessId;
  STRATA_ULONG ThreadId;
  STRATA_ULONG LastErrorValue;  /* GetLastError / SetLastError */
  STRATA_ULONG LastStatusValue;
  void *StackBase;              /* top (exclusive) */
  void *StackLimit;             /* lowest address */
  void *TlsSlots[64];
} STRATA_TEB;

/* ---- arguments of the Strata-specific native calls ---- */

/*
 * NtStrataLoadDll(const char *name, STRATA_ULONG nameLength, void **base, STRATA_ULONG *firstNew)
 *   Maps the DLL `name` (a base name searched in the exe's folder, then
 *   C:\Windows\System32, or a Win32 path) and the DLLs it imports, applies
 *   relocations, resolves imports, appends new modules to the Ldr table
 *   (dependencies first) and adds a reference. *base = DllBase; *firstNew =
 *   index of the first new entry (== old Count when nothing new), whose
 *   DllMain ntdll then calls. STATUS_DLL_NOT_FOUND 0xC0000135,
 *   STATUS_INVALID_IMAGE_FORMAT 0xC000007B, STATUS_ENTRYPOINT_NOT_FOUND 0xC0000139,
 *   STATUS_ORDINAL_NOT_FOUND 0xC0000138.
 * NtStrataUnloadDll(void *base)
 *   Drops a reference; at zero the module and the DLLs loaded only for it are
 *   unmapped and leave the table. ntdll calls DllMain(DLL_PROCESS_DETACH)
 *   before the call that drops the last reference. STATIC modules: success,
 *   nothing happens. Unknown base: STATUS_DLL_NOT_FOUND.
 * NtStrataConsoleMode(STRATA_HANDLE h, STRATA_ULONG set, STRATA_ULONG mode, STRATA_ULONG *old)
 *   Reads (*old) and, if set != 0, replaces the console mode of a console
 *   handle. Not a console: STATUS_INVALID_HANDLE (ERROR_INVALID_HANDLE).
 * NtStrataQueryName(STRATA_ULONG which, char *buf, STRATA_ULONG size, STRATA_ULONG *needed)
 *   which: STRATA_NAME_COMPUTER or STRATA_NAME_USER. Copies the name with its
 *   NUL; *needed = length with NUL; too small: STATUS_BUFFER_TOO_SMALL 0xC0000023.
 */
#define STRATA_NAME_COMPUTER 0
#define STRATA_NAME_USER 1

/*
 * NtCreateUserProcess(HANDLE *process, HANDLE *thread, ACCESS_MASK processAccess,
 *   ACCESS_MASK threadAccess, OBJECT_ATTRIBUTES *processOa, OBJECT_ATTRIBUTES *threadOa,
 *   ULONG processFlags, ULONG threadFlags, STRATA_PROCESS_PARAMETERS *params,
 *   STRATA_CREATE_INFO *info, void *attributeList)
 * processFlags: PROCESS_CREATE_FLAGS_INHERIT_HANDLES 0x4 (inheritable handles are
 * copied to the child at the same values). threadFlags:
 * THREAD_CREATE_FLAGS_CREATE_SUSPENDED 0x1 (NtResumeThread starts it).
 * params is read from the caller: ImagePathName (a Win32 path to a PE or an ELF
 * file), CommandLine, Environment (or NULL: the caller's), CurrentDirectory
 * ("" : the caller's), and with STRATA_PP_USE_STD_HANDLES the three standard
 * handles (without it the caller's own standard handles); those three are
 * duplicated into the child. An ELF image starts a Unix process whose fds 0/1/2
 * are the standard handles and whose argv is the command line split by the
 * Microsoft rules. info (may be NULL) receives the ids. attributeList: NULL.
 */
typedef struct STRATA_CREATE_INFO {
  STRATA_ULONG Size;       /* sizeof = 16 */
  STRATA_ULONG ProcessId;
  STRATA_ULONG ThreadId;
  STRATA_ULONG Reserved;
} STRATA_CREATE_INFO;

#endif
