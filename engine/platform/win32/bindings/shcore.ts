/** shcore.dll: per-monitor DPI (Windows 8.1+). */
import { bindOptional, koffi, type Handle } from './koffi';

let lib: koffi.LibraryHandle | null = null;
try {
  lib = koffi.load('shcore.dll');
} catch {
  lib = null;
}

/** HRESULT; dpiX/dpiY are 4-byte out buffers. */
export const GetDpiForMonitor = lib
  ? bindOptional<(hmon: Handle, type: number, dpiX: Buffer, dpiY: Buffer) => number>(
      lib,
      'int32_t __stdcall GetDpiForMonitor(intptr_t hmon, int type, void *dpiX, void *dpiY)',
    )
  : null;

export const MDT_EFFECTIVE_DPI = 0;
