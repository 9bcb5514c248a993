/**
 * Other programs' windows: bounds (DWM's extended frame where available,
 * else GetWindowRect), watching (an out-of-context WinEvent hook for
 * EVENT_OBJECT_LOCATIONCHANGE and EVENT_OBJECT_DESTROY, filtered to the
 * watched HWNDs, plus a slow check timer while anything is watched, because
 * Wine does not deliver cross-process WinEvents), and pixel copies for pips
 * (PrintWindow, else BitBlt from the window DC).
 */
import type { Rect } from '../../../protocol';
import type { Frame, PlatformEvent } from '../platform';
import { koffi, type Handle } from './bindings/koffi';
import { DWMWA_EXTENDED_FRAME_BOUNDS, DwmGetWindowAttribute, S_OK } from './bindings/dwmapi';
import {
  BitBlt,
  CreateCompatibleDC,
  CreateDIBSection,
  DeleteDC,
  DeleteObject,
  DIB_RGB_COLORS,
  GdiFlush,
  SelectObject,
  SRCCOPY,
  CAPTUREBLT,
} from './bindings/gdi32';
import {
  EVENT_OBJECT_DESTROY,
  EVENT_OBJECT_LOCATIONCHANGE,
  GetDC,
  GetWindowDC,
  GetWindowRect,
  IsIconic,
  IsWindow,
  KillTimer,
  OBJID_WINDOW,
  PrintWindow,
  PW_RENDERFULLCONTENT,
  ReleaseDC,
  SetTimer,
  SetWinEventHook,
  UnhookWinEvent,
  WINEVENT_OUTOFCONTEXT,
  WINEVENT_SKIPOWNPROCESS,
  WINEVENTPROC,
  WM_TIMER,
} from './bindings/user32';
import { guard } from './callbackErrors';
import type { ControlWindow } from './controlWindow';
import { trace, tracing } from './debug';
import { bitmapInfo32, readRect, rectBuffer } from './structs';

/** Timer id (on the control window) of the watched windows' check. */
const CHECK_TIMER = 2;
const CHECK_MS = 250;
/** Largest window copied for a pip, per side. */
const MAX_CAPTURE_SIDE = 8192;

export function foreignBounds(hwnd: Handle): Rect | null {
  if (!hwnd || !IsWindow(hwnd)) return null;
  const out = rectBuffer();
  if (DwmGetWindowAttribute && DwmGetWindowAttribute(hwnd, DWMWA_EXTENDED_FRAME_BOUNDS, out, 16) === S_OK) {
    const r = readRect(out);
    if (r.width > 0 && r.height > 0) return r;
  }
  return GetWindowRect(hwnd, out) ? readRect(out) : null;
}

/** Exists and is not minimized: a pip has something to copy. */
export function foreignShown(hwnd: Handle): boolean {
  return !!hwnd && !!IsWindow(hwnd) && !IsIconic(hwnd);
}

export function captureWindow(hwnd: Handle): Frame | null {
  const r = foreignBounds(hwnd);
  if (!r || r.width <= 0 || r.height <= 0 || r.width > MAX_CAPTURE_SIDE || r.height > MAX_CAPTURE_SIDE) return null;
  // PrintWindow draws the whole window (not the DWM extended frame): size the DIB by GetWindowRect.
  const wr = rectBuffer();
  const full = GetWindowRect(hwnd, wr) ? readRect(wr) : r;
  const { width, height } = full;
  const screen = GetDC(0);
  const dc = CreateCompatibleDC(screen);
  const bits = Buffer.alloc(8);
  const bitmap = CreateDIBSection(screen, bitmapInfo32(width, height), DIB_RGB_COLORS, bits, 0, 0);
  ReleaseDC(0, screen);
  if (!bitmap) {
    DeleteDC(dc);
    return null;
  }
  const previous = SelectObject(dc, bitmap);
  const bgra = new Uint8Array(koffi.view(bits.readBigUInt64LE(0), width * height * 4));
  try {
    // 1. PrintWindow: the window draws itself (on Windows also when covered).
    // 2. BitBlt from its window DC.
    // 3. BitBlt from the screen at its position (what is visible there): under Wine, PrintWindow of
    //    another process's window "succeeds" without drawing (its WM_PRINT gets our HDC, which is
    //    meaningless in its process), and so may the window DC, so blank results fall through.
    const attempts: (() => boolean)[] = [
      () => PrintWindow(hwnd, dc, PW_RENDERFULLCONTENT) !== 0,
      () => blitFrom(GetWindowDC(hwnd), hwnd, dc, 0, 0, width, height),
      () => blitFrom(GetDC(0), 0, dc, full.x, full.y, width, height),
    ];
    let ok = false;
    for (const [i, attempt] of attempts.entries()) {
      bgra.fill(0);
      if (attempt()) {
        GdiFlush();
        ok = true;
        if (!isBlank(bgra)) {
          if (tracing) trace(`capture ${hwnd}: ${['PrintWindow', 'window DC', 'screen'][i]} ${width}×${height}`);
          break;
        }
      }
    }
    if (!ok) return null;
    const pixels = new Uint8Array(width * height * 4);
    for (let i = 0; i < pixels.length; i += 4) {
      pixels[i] = bgra[i + 2]!;
      pixels[i + 1] = bgra[i + 1]!;
      pixels[i + 2] = bgra[i]!;
      pixels[i + 3] = 255; // GDI leaves alpha undefined: a window copy is opaque
    }
    return { width, height, pixels };
  } finally {
    SelectObject(dc, previous);
    DeleteObject(bitmap);
    DeleteDC(dc);
  }
}

function blitFrom(src: Handle, owner: Handle, dst: Handle, x: number, y: number, width: number, height: number): boolean {
  if (!src) return false;
  try {
    return BitBlt(dst, 0, 0, width, height, src, x, y, SRCCOPY | CAPTUREBLT) !== 0;
  } finally {
    ReleaseDC(owner, src);
  }
}

/** No colour at all (alpha ignored: GDI leaves it undefined). */
function isBlank(bgra: Uint8Array): boolean {
  for (let i = 0; i < bgra.length; i += 4) if (bgra[i] !== 0 || bgra[i + 1] !== 0 || bgra[i + 2] !== 0) return false;
  return true;
}

export class ForeignWatcher {
  /** Watched HWND → last bounds reported (key of "did it move"). */
  private readonly watched = new Map<Handle, string>();
  private hook: Handle = 0;
  private readonly callback: bigint;
  private timer = false;

  constructor(
    private readonly control: ControlWindow,
    private readonly push: (ev: PlatformEvent) => void,
  ) {
    this.callback = koffi.register(
      guard(
        (_hook: Handle, event: number, hwnd: Handle, idObject: number, idChild: number) => {
          if (idObject !== OBJID_WINDOW || idChild !== 0 || !this.watched.has(hwnd)) return;
          if (event === EVENT_OBJECT_DESTROY || event === EVENT_OBJECT_LOCATIONCHANGE) this.check(hwnd);
        },
        () => undefined,
      ),
      koffi.pointer(WINEVENTPROC),
    );
    control.on((hwnd, msg, wParam) => {
      if (hwnd !== control.hwnd || msg !== WM_TIMER || wParam !== CHECK_TIMER) return undefined;
      for (const watched of [...this.watched.keys()]) this.check(watched);
      return 0;
    });
  }

  watch(hwnd: Handle): boolean {
    const r = foreignBounds(hwnd);
    if (!r) return false;
    this.watched.set(hwnd, key(r));
    if (!this.hook) {
      this.hook = SetWinEventHook(EVENT_OBJECT_DESTROY, EVENT_OBJECT_LOCATIONCHANGE, 0, this.callback, 0, 0, WINEVENT_OUTOFCONTEXT | WINEVENT_SKIPOWNPROCESS);
    }
    if (!this.timer) this.timer = SetTimer(this.control.hwnd, CHECK_TIMER, CHECK_MS, 0) !== 0;
    return true;
  }

  unwatch(hwnd: Handle): void {
    this.watched.delete(hwnd);
    if (this.watched.size === 0) this.stop();
  }

  dispose(): void {
    this.watched.clear();
    this.stop();
    koffi.unregister(this.callback);
  }

  private stop(): void {
    if (this.hook) UnhookWinEvent(this.hook);
    this.hook = 0;
    if (this.timer) KillTimer(this.control.hwnd, CHECK_TIMER);
    this.timer = false;
  }

  /** Report a close or a move of a watched window, once per change. */
  private check(hwnd: Handle): void {
    const last = this.watched.get(hwnd);
    if (last === undefined) return;
    const r = foreignBounds(hwnd);
    if (!r) {
      this.unwatch(hwnd);
      this.push({ type: 'foreignClosed', foreign: hwnd });
      return;
    }
    const now = key(r);
    if (now !== last) {
      this.watched.set(hwnd, now);
      this.push({ type: 'foreignMoved', foreign: hwnd });
    }
  }
}

function key(r: Rect): string {
  return `${r.x},${r.y},${r.width},${r.height}`;
}
