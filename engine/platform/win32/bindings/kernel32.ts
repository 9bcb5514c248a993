/** kernel32.dll: module handle, error codes, the process heap. */
import { bind, koffi, type Handle } from './koffi';

const lib = koffi.load('kernel32.dll');

export const GetModuleHandleW = bind<(name: string | null) => Handle>(lib, 'intptr_t __stdcall GetModuleHandleW(str16 name)');
export const GetLastError = bind<() => number>(lib, 'uint32_t __stdcall GetLastError()');
export const GetCurrentThreadId = bind<() => number>(lib, 'uint32_t __stdcall GetCurrentThreadId()');
export const GetProcessHeap = bind<() => Handle>(lib, 'intptr_t __stdcall GetProcessHeap()');
/** Coalesces free blocks and decommits large free ones: the C runtime's malloc lives in the process heap. */
export const HeapCompact = bind<(heap: Handle, flags: number) => number>(lib, 'size_t __stdcall HeapCompact(intptr_t heap, uint32_t flags)');
