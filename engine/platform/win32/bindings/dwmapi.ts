/** dwmapi.dll: thumbnails and window attributes (probed for capabilities). */
import { bindOptional, koffi, type Handle } from './koffi';

let lib: koffi.LibraryHandle | null = null;
try {
  lib = koffi.load('dwmapi.dll');
} catch {
  lib = null;
}

export const DwmRegisterThumbnail = lib
  ? bindOptional<(dest: Handle, src: Handle, out: Buffer) => number>(lib, 'int32_t __stdcall DwmRegisterThumbnail(intptr_t dest, intptr_t src, void *out)')
  : null;
export const DwmUnregisterThumbnail = lib ? bindOptional<(thumb: Handle) => number>(lib, 'int32_t __stdcall DwmUnregisterThumbnail(intptr_t thumb)') : null;
export const DwmGetWindowAttribute = lib
  ? bindOptional<(hwnd: Handle, attr: number, out: Buffer, size: number) => number>(
      lib,
      'int32_t __stdcall DwmGetWindowAttribute(intptr_t hwnd, uint32_t attr, void *out, uint32_t size)',
    )
  : null;

export const DWMWA_EXTENDED_FRAME_BOUNDS = 9;
export const S_OK = 0;
