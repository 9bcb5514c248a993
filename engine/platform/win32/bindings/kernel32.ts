/** kernel32.dll: module handle and error codes. */
import { bind, koffi, type Handle } from './koffi';

const lib = koffi.load('kernel32.dll');

export const GetModuleHandleW = bind<(name: string | null) => Handle>(lib, 'intptr_t __stdcall GetModuleHandleW(str16 name)');
export const GetLastError = bind<() => number>(lib, 'uint32_t __stdcall GetLastError()');
export const GetCurrentThreadId = bind<() => number>(lib, 'uint32_t __stdcall GetCurrentThreadId()');
