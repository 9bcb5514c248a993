/** kernel32.dll: module handle, error codes, the process heap, handles, processes and pipes. */
import { bind, koffi, type Handle } from './koffi';

const lib = koffi.load('kernel32.dll');

export const GetModuleHandleW = bind<(name: string | null) => Handle>(lib, 'intptr_t __stdcall GetModuleHandleW(str16 name)');
export const GetLastError = bind<() => number>(lib, 'uint32_t __stdcall GetLastError()');
export const GetCurrentThreadId = bind<() => number>(lib, 'uint32_t __stdcall GetCurrentThreadId()');
export const GetProcessHeap = bind<() => Handle>(lib, 'intptr_t __stdcall GetProcessHeap()');
/** Coalesces free blocks and decommits large free ones: the C runtime's malloc lives in the process heap. */
export const HeapCompact = bind<(heap: Handle, flags: number) => number>(lib, 'size_t __stdcall HeapCompact(intptr_t heap, uint32_t flags)');

export const CloseHandle = bind<(h: Handle) => number>(lib, 'int __stdcall CloseHandle(intptr_t h)');
export const LocalFree = bind<(mem: bigint) => bigint | null>(lib, 'void * __stdcall LocalFree(void *mem)');
export const GetCurrentProcess = bind<() => Handle>(lib, 'intptr_t __stdcall GetCurrentProcess()');
export const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
export const OpenProcess = bind<(access: number, inherit: number, pid: number) => Handle>(
  lib,
  'intptr_t __stdcall OpenProcess(uint32_t access, int inherit, uint32_t pid)',
);

export const OPEN_EXISTING = 3;
export const INVALID_HANDLE_VALUE = -1;
export const ERROR_PIPE_BUSY = 231;
/** `sa` is always NULL here: handles are never inherited. */
export const CreateFileW = bind<(name: string, access: number, share: number, sa: null, disposition: number, flags: number, template: Handle) => Handle>(
  lib,
  'intptr_t __stdcall CreateFileW(str16 name, uint32_t access, uint32_t share, void *sa, uint32_t disposition, uint32_t flags, intptr_t template)',
);
/** The process id of the server end of a pipe handle opened as a client. */
export const GetNamedPipeServerProcessId = bind<(pipe: Handle, pid: Buffer) => number>(
  lib,
  'int __stdcall GetNamedPipeServerProcessId(intptr_t pipe, void *pid)',
);
