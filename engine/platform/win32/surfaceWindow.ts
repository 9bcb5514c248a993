/**
 * One surface = one layered top-level popup that never activates
 * (WS_EX_LAYERED|WS_EX_TOPMOST|WS_EX_TOOLWINDOW|WS_EX_NOACTIVATE; HUDs, pips
 * and non-interactive panels add WS_EX_TRANSPARENT). Pixels go to the screen
 * with UpdateLayeredWindowIndirect from a 32-bit top-down premultiplied
 * BGRA DIB section owned by the window. A patch is copied into the DIB and
 * names its rectangle as prcDirty, so the compositor takes only those
 * pixels. Opacity is the BLENDFUNCTION's SourceConstantAlpha, so changing
 * it updates the window from the pixels already in the DIB without
 * re-rendering.
 */
import type { Rect } from '../../../protocol';
import type { Frame, FrameUpdate, WindowSpec } from '../platform';
import { koffi, type Handle } from './bindings/koffi';
import { CreateCompatibleDC, CreateDIBSection, DeleteDC, DeleteObject, DIB_RGB_COLORS, GdiFlush, SelectObject } from './bindings/gdi32';
import { GetLastError } from './bindings/kernel32';
import {
  CreateWindowExW,
  DestroyWindow,
  GetDC,
  GetWindowLongPtrW,
  GWL_EXSTYLE,
  HWND_TOPMOST,
  ReleaseDC,
  SetWindowDisplayAffinity,
  SetWindowLongPtrW,
  SetWindowPos,
  ShowWindow,
  SW_HIDE,
  SW_SHOWNOACTIVATE,
  SWP_NOACTIVATE,
  SWP_NOMOVE,
  SWP_NOOWNERZORDER,
  SWP_NOSIZE,
  SWP_NOZORDER,
  ULW_ALPHA,
  UPDATELAYEREDWINDOWINFO_SIZE,
  UpdateLayeredWindowIndirect,
  WDA_EXCLUDEFROMCAPTURE,
  WDA_NONE,
  WS_EX_LAYERED,
  WS_EX_NOACTIVATE,
  WS_EX_TOOLWINDOW,
  WS_EX_TOPMOST,
  WS_EX_TRANSPARENT,
  WS_POPUP,
} from './bindings/user32';
import { bitmapInfo32, blendFunction, point, rectOf, size } from './structs';
import { trace, tracing } from './debug';
import type { WindowClass } from './windowClass';

const BASE_EX_STYLE = WS_EX_LAYERED | WS_EX_TOPMOST | WS_EX_TOOLWINDOW | WS_EX_NOACTIVATE;

/** A DIB section selected into its own memory DC. */
class Dib {
  readonly dc: Handle;
  readonly bitmap: Handle;
  private readonly previous: Handle;
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    const screen = GetDC(0);
    try {
      const bits = Buffer.alloc(8);
      this.bitmap = CreateDIBSection(screen, bitmapInfo32(width, height), DIB_RGB_COLORS, bits, 0, 0);
      if (!this.bitmap) throw new Error(`CreateDIBSection(${width}×${height}) failed, GetLastError=${GetLastError()}`);
      this.dc = CreateCompatibleDC(screen);
      this.previous = SelectObject(this.dc, this.bitmap);
      this.pixels = new Uint8Array(koffi.view(bits.readBigUInt64LE(0), width * height * 4));
    } finally {
      ReleaseDC(0, screen);
    }
  }

  dispose(): void {
    SelectObject(this.dc, this.previous);
    DeleteDC(this.dc);
    DeleteObject(this.bitmap);
  }
}

/** Copies premultiplied RGBA into premultiplied BGRA (swap R and B). */
export function rgbaToBgra(src: Uint8Array, dst: Uint8Array): void {
  const n = Math.min(src.length, dst.length) >>> 2;
  if (src.byteOffset % 4 === 0 && dst.byteOffset % 4 === 0) {
    const s = new Uint32Array(src.buffer, src.byteOffset, n);
    const d = new Uint32Array(dst.buffer, dst.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const v = s[i]!;
      d[i] = (v & 0xff00ff00) | ((v & 0xff) << 16) | ((v >>> 16) & 0xff);
    }
    return;
  }
  for (let i = 0; i < n * 4; i += 4) {
    dst[i] = src[i + 2]!;
    dst[i + 1] = src[i + 1]!;
    dst[i + 2] = src[i]!;
    dst[i + 3] = src[i + 3]!;
  }
}

/** Copy a patch's rows into the DIB at (x, y), swapping to BGRA on the way. */
function copyPatch(patch: Frame, dib: Dib, x: number, y: number): void {
  const rowBytes = patch.width * 4;
  for (let row = 0; row < patch.height; row++) {
    const to = ((y + row) * dib.width + x) * 4;
    rgbaToBgra(patch.pixels.subarray(row * rowBytes, (row + 1) * rowBytes), dib.pixels.subarray(to, to + rowBytes));
  }
}

export class SurfaceWindow {
  readonly hwnd: Handle;
  readonly kind: WindowSpec['kind'];
  bounds: Rect;
  visible = false;
  opacity = 1;
  /** Panels: takes input at all (setInteractive). */
  interactive: boolean;
  /** Panels: WS_EX_TRANSPARENT set because the pointer is over a non-interactive area. */
  passThrough = false;
  /** Inside the OS move loop (drag): the OS owns the position until WM_EXITSIZEMOVE. */
  moving = false;
  private dib: Dib | null = null;
  private presented = false;

  constructor(cls: WindowClass, spec: WindowSpec) {
    this.kind = spec.kind;
    this.bounds = { ...spec.bounds };
    this.interactive = spec.kind === 'panel';
    const b = this.bounds;
    this.hwnd = CreateWindowExW(this.exStyle(), cls.name, `panepipe ${spec.kind}`, WS_POPUP, b.x, b.y, b.width, b.height, 0, 0, cls.instance, 0);
    if (!this.hwnd) throw new Error(`CreateWindowExW(${spec.kind}) failed, GetLastError=${GetLastError()}`);
  }

  /** Input-transparent to the OS: HUDs and pips always; panels when not interactive or passing through. */
  private exStyle(): number {
    const transparent = this.kind !== 'panel' || !this.interactive || this.passThrough;
    return BASE_EX_STYLE | (transparent ? WS_EX_TRANSPARENT : 0);
  }

  /** Re-apply WS_EX_TRANSPARENT after interactive/passThrough changed. */
  syncExStyle(): void {
    const current = GetWindowLongPtrW(this.hwnd, GWL_EXSTYLE);
    const wanted = (current & ~WS_EX_TRANSPARENT) | (this.exStyle() & WS_EX_TRANSPARENT);
    if (wanted !== current) SetWindowLongPtrW(this.hwnd, GWL_EXSTYLE, wanted);
  }

  setBounds(bounds: Rect): void {
    const moved = bounds.x !== this.bounds.x || bounds.y !== this.bounds.y;
    this.bounds = { ...bounds };
    // The size follows the next frame (the engine re-renders on resize); only move now.
    if (moved) SetWindowPos(this.hwnd, 0, bounds.x, bounds.y, 0, 0, SWP_NOSIZE | SWP_NOZORDER | SWP_NOACTIVATE | SWP_NOOWNERZORDER);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!visible) {
      ShowWindow(this.hwnd, SW_HIDE);
      return;
    }
    // A layered window shows nothing until its first UpdateLayeredWindow: present() shows it then.
    if (this.presented) this.show();
  }

  setOpacity(opacity: number): void {
    this.opacity = opacity;
    if (this.presented) this.update();
  }

  present({ frame, at }: FrameUpdate): void {
    const start = tracing ? performance.now() : 0;
    let dirty: Buffer | null = null;
    if (at && this.dib) {
      copyPatch(frame, this.dib, at.x, at.y);
      dirty = rectOf(at.x, at.y, frame.width, frame.height);
    } else {
      if (!this.dib || this.dib.width !== frame.width || this.dib.height !== frame.height) {
        this.dib?.dispose();
        this.dib = new Dib(frame.width, frame.height);
      }
      rgbaToBgra(frame.pixels, this.dib.pixels);
    }
    GdiFlush();
    const copied = tracing ? performance.now() : 0;
    const first = !this.presented;
    this.presented = this.update(dirty);
    if (first && this.presented && this.visible) this.show();
    if (tracing)
      trace(
        `present ${this.hwnd} ${frame.width}×${frame.height}${at ? ` at ${at.x},${at.y}` : ''}: copy ${(copied - start).toFixed(1)} ms, update ${(performance.now() - copied).toFixed(1)} ms`,
      );
  }

  setCaptureExcluded(excluded: boolean): boolean {
    return SetWindowDisplayAffinity(this.hwnd, excluded ? WDA_EXCLUDEFROMCAPTURE : WDA_NONE) !== 0;
  }

  destroy(): void {
    DestroyWindow(this.hwnd);
    this.dib?.dispose();
    this.dib = null;
  }

  private show(): void {
    ShowWindow(this.hwnd, SW_SHOWNOACTIVATE);
    SetWindowPos(this.hwnd, HWND_TOPMOST, 0, 0, 0, 0, SWP_NOMOVE | SWP_NOSIZE | SWP_NOACTIVATE);
  }

  /** Show the DIB's pixels; `dirty`: only this RECT of them changed (null: any may have). */
  private update(dirty: Buffer | null = null): boolean {
    const dib = this.dib;
    if (!dib) return false;
    const screen = GetDC(0);
    try {
      return (
        UpdateLayeredWindowIndirect(this.hwnd, {
          cbSize: UPDATELAYEREDWINDOWINFO_SIZE,
          hdcDst: screen,
          pptDst: this.moving ? null : point(this.bounds.x, this.bounds.y),
          psize: size(dib.width, dib.height),
          hdcSrc: dib.dc,
          pptSrc: point(0, 0),
          crKey: 0,
          pblend: blendFunction(this.opacity * 255),
          dwFlags: ULW_ALPHA,
          prcDirty: dirty,
        }) !== 0
      );
    } finally {
      ReleaseDC(0, screen);
    }
  }
}
