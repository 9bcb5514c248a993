/** gdi32.dll: memory DCs, DIB sections, blits. */
import { bind, koffi, type Handle } from './koffi';

const lib = koffi.load('gdi32.dll');

export const CreateCompatibleDC = bind<(hdc: Handle) => Handle>(lib, 'intptr_t __stdcall CreateCompatibleDC(intptr_t hdc)');
export const DeleteDC = bind<(hdc: Handle) => number>(lib, 'int __stdcall DeleteDC(intptr_t hdc)');
/** `bits` receives the pixel pointer (8 bytes, read as a BigInt pointer). */
export const CreateDIBSection = bind<(hdc: Handle, bmi: Buffer, usage: number, bits: Buffer, section: Handle, offset: number) => Handle>(
  lib,
  'intptr_t __stdcall CreateDIBSection(intptr_t hdc, void *bmi, uint32_t usage, void *bits, intptr_t section, uint32_t offset)',
);
export const CreateBitmap = bind<(w: number, h: number, planes: number, bpp: number, bits: Buffer | null) => Handle>(
  lib,
  'intptr_t __stdcall CreateBitmap(int w, int h, uint32_t planes, uint32_t bpp, void *bits)',
);
export const SelectObject = bind<(hdc: Handle, obj: Handle) => Handle>(lib, 'intptr_t __stdcall SelectObject(intptr_t hdc, intptr_t obj)');
export const DeleteObject = bind<(obj: Handle) => number>(lib, 'int __stdcall DeleteObject(intptr_t obj)');
export const BitBlt = bind<(dst: Handle, x: number, y: number, w: number, h: number, src: Handle, sx: number, sy: number, rop: number) => number>(
  lib,
  'int __stdcall BitBlt(intptr_t dst, int x, int y, int w, int h, intptr_t src, int sx, int sy, uint32_t rop)',
);
export const GdiFlush = bind<() => number>(lib, 'int __stdcall GdiFlush()');

export const DIB_RGB_COLORS = 0;
export const SRCCOPY = 0x00cc0020;
/** Include layered windows in a screen copy. */
export const CAPTUREBLT = 0x40000000;
