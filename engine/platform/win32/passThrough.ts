/**
 * Click-through for the non-interactive parts of a panel.
 *
 * A layered window's pixels with alpha 0 are click-through by the OS, but a
 * panel's visible background is not, and WM_NCHITTEST's HTTRANSPARENT only
 * forwards to windows of the same thread. So when the panel's hit test says
 * 'transparent' for the pointer, the panel gets WS_EX_TRANSPARENT: from then
 * on the OS routes input to whatever window lies beneath, in any process,
 * including the very click that follows. While any panel passes input
 * through, a low-level mouse hook (WH_MOUSE_LL, no timer, only installed for
 * that time) watches the pointer: once it leaves the panel or reaches an
 * interactive element or drag region, WS_EX_TRANSPARENT is cleared before
 * that mouse event is routed, so the panel takes it. With no panel passing
 * through, the hook is removed.
 */
import type { HitTester } from '../hitTest';
import { koffi, type Handle } from './bindings/koffi';
import { GetModuleHandleW } from './bindings/kernel32';
import { CallNextHookEx, HC_ACTION, HOOKPROC, PostMessageW, SetWindowsHookExW, UnhookWindowsHookEx, WH_MOUSE_LL, WM_APP } from './bindings/user32';
import { guard } from './callbackErrors';
import type { ControlWindow } from './controlWindow';
import { trace, tracing } from './debug';
import type { SurfaceWindow } from './surfaceWindow';

/** Posted to the control window to remove the hook outside the hook's own call. */
const WM_PANEPIPE_UNHOOK = WM_APP + 2;

export class PassThrough {
  private readonly active = new Set<SurfaceWindow>();
  private hook: Handle = 0;
  private unhookPosted = false;
  private readonly callback: bigint;

  constructor(
    private readonly hitTest: HitTester,
    private readonly control: ControlWindow,
  ) {
    this.callback = koffi.register(
      guard(
        (code: number, wParam: number, lParam: unknown) => this.onMouse(code, wParam, lParam),
        (code, wParam, lParam) => CallNextHookEx(0, code, wParam, lParam),
      ),
      koffi.pointer(HOOKPROC),
    );
    control.on((hwnd, msg) => {
      if (hwnd !== control.hwnd || msg !== WM_PANEPIPE_UNHOOK) return undefined;
      this.unhookPosted = false;
      if (this.active.size === 0) this.unhook();
      return 0;
    });
  }

  /** The pointer is over a non-interactive part of `w`: let input through until it is not. */
  begin(w: SurfaceWindow): void {
    if (w.passThrough) return;
    if (!this.hook) {
      this.hook = SetWindowsHookExW(WH_MOUSE_LL, this.callback, GetModuleHandleW(null), 0);
      trace(`passThrough: SetWindowsHookExW(WH_MOUSE_LL) = ${this.hook}`);
      if (!this.hook) return; // no hook, no way back: keep the panel as it is
    }
    trace(`passThrough: begin ${w.hwnd}`);
    w.passThrough = true;
    w.syncExStyle();
    this.active.add(w);
  }

  end(w: SurfaceWindow): void {
    this.active.delete(w);
    if (w.passThrough) {
      w.passThrough = false;
      w.syncExStyle();
    }
    this.unhookWhenIdle();
  }

  /** The window is being destroyed. */
  forget(w: SurfaceWindow): void {
    this.active.delete(w);
    w.passThrough = false;
    this.unhookWhenIdle();
  }

  isActive(w: SurfaceWindow): boolean {
    return this.active.has(w);
  }

  dispose(): void {
    this.unhook();
    this.active.clear();
    koffi.unregister(this.callback);
  }

  /** Removes the hook once no panel passes input through (posted: never from inside the hook's own call). */
  private unhookWhenIdle(): void {
    if (this.hook && this.active.size === 0 && !this.unhookPosted) {
      this.unhookPosted = PostMessageW(this.control.hwnd, WM_PANEPIPE_UNHOOK, 0, 0) !== 0;
    }
  }

  private unhook(): void {
    if (this.hook) UnhookWindowsHookEx(this.hook);
    this.hook = 0;
  }

  private onMouse(code: number, wParam: number, lParam: unknown): number {
    if (code === HC_ACTION && this.active.size > 0) {
      // MSLLHOOKSTRUCT starts with the screen POINT.
      const x = koffi.decode(lParam, 0, 'int32_t') as number;
      const y = koffi.decode(lParam, 4, 'int32_t') as number;
      if (tracing) trace(`passThrough: mouse ${wParam.toString(16)} at ${x},${y}`);
      for (const w of [...this.active]) {
        const b = w.bounds;
        const inside = x >= b.x && y >= b.y && x < b.x + b.width && y < b.y + b.height;
        if (!inside || !w.visible || this.hitTest(w.hwnd, x - b.x, y - b.y) !== 'transparent') this.end(w);
      }
    }
    return CallNextHookEx(0, code, wParam, lParam);
  }
}
