/**
 * The one place the win32 backend loads koffi. Handles (HWND, HDC, HBITMAP…)
 * are declared as `intptr_t`, so they cross as plain JS numbers; real data
 * pointers (DIB bits, hook structs) stay koffi BigInt pointers. Structs are
 * passed as Buffers to `void *` parameters (see ../structs.ts).
 */
import * as koffi from 'koffi';

export { koffi };

/** A Win32 handle as a JS number (0 = NULL). */
export type Handle = number;

/** Binds a `__stdcall` prototype (x64 ignores the convention; x86 needs it). */
export function bind<F>(lib: koffi.LibraryHandle, prototype: string): F {
  return lib.func(prototype) as unknown as F;
}

/** Like bind, but null when the export is missing (older Windows, Wine). */
export function bindOptional<F>(lib: koffi.LibraryHandle, prototype: string): F | null {
  try {
    return bind<F>(lib, prototype);
  } catch {
    return null;
  }
}
