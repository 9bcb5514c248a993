/**
 * The surface windows' procedure: turns WM_NCHITTEST into the engine's hit
 * test and mouse messages into queued pointer events. Nothing here changes
 * engine state; the loop hands the queue to the engine after dispatch.
 *
 *  * 'element' → HTCLIENT: the panel gets WM_MOUSEMOVE / button messages
 *    (client coordinates), reported as pointer events; TrackMouseEvent turns
 *    the pointer leaving into a 'leave'.
 *  * 'drag' → HTCLIENT too, and a left press there starts a drag driven
 *    here (SetCapture; each WM_MOUSEMOVE moves the window to the cursor
 *    minus the grab offset; release reports windowMoved with the final
 *    physical position). Not HTCAPTION and the OS move loop: under Wine that
 *    loop activates the window and is cancelled at once (WM_CANCELMODE, no
 *    WM_EXITSIZEMOVE), and on Windows it is a modal loop the engine must
 *    run inside; a captured drag never activates and never leaves the
 *    engine's loop. (WM_EXITSIZEMOVE is still reported if something else
 *    moves a surface with the OS loop.)
 *  * 'transparent' → HTTRANSPARENT plus PassThrough (WS_EX_TRANSPARENT until
 *    the pointer reaches something interactive), so clicks reach other
 *    processes' windows beneath.
 * Surfaces never activate: WM_MOUSEACTIVATE answers MA_NOACTIVATE.
 */
import type { HitResult, HitTester } from '../hitTest';
import type { PlatformEvent } from '../platform';
import type { Handle } from './bindings/koffi';
import {
  DefWindowProcW,
  GetCursorPos,
  GetWindowRect,
  HTCLIENT,
  HTTRANSPARENT,
  MA_NOACTIVATE,
  TME_LEAVE,
  TrackMouseEvent,
  WM_DPICHANGED,
  WM_ENTERSIZEMOVE,
  WM_EXITSIZEMOVE,
  WM_LBUTTONDOWN,
  WM_LBUTTONUP,
  WM_MBUTTONDOWN,
  WM_MBUTTONUP,
  WM_MOUSEACTIVATE,
  WM_MOUSELEAVE,
  WM_MOUSEMOVE,
  WM_NCHITTEST,
  WM_RBUTTONDOWN,
  WM_RBUTTONUP,
  ReleaseCapture,
  SetCapture,
  WM_CAPTURECHANGED,
  WM_SETCURSOR,
  IDC_ARROW,
  IDC_SIZEALL,
  LoadCursorW,
  SetCursor,
  type WndProc,
} from './bindings/user32';
import type { PassThrough } from './passThrough';
import { loword, lparamX, lparamY, readPoint, readRect, rectBuffer, trackMouseEvent } from './structs';
import { trace, tracing } from './debug';
import type { SurfaceWindow } from './surfaceWindow';

type Button = 'left' | 'right' | 'middle';

const BUTTONS = new Map<number, { action: 'down' | 'up'; button: Button }>([
  [WM_RBUTTONDOWN, { action: 'down', button: 'right' }],
  [WM_RBUTTONUP, { action: 'up', button: 'right' }],
  [WM_MBUTTONDOWN, { action: 'down', button: 'middle' }],
  [WM_MBUTTONUP, { action: 'up', button: 'middle' }],
]);

interface Drag {
  window: SurfaceWindow;
  /** Grab point inside the window, physical pixels. */
  grabX: number;
  grabY: number;
  startX: number;
  startY: number;
}

export class SurfaceInput {
  private readonly tracking = new Set<Handle>();
  /** The last hit-test answer per window, for the cursor shape. */
  private readonly lastHit = new Map<Handle, HitResult>();
  private readonly rect = rectBuffer();
  private readonly cursor = Buffer.alloc(8);
  private drag: Drag | null = null;

  constructor(
    private readonly windows: ReadonlyMap<Handle, SurfaceWindow>,
    private readonly hitTest: HitTester,
    private readonly passThrough: PassThrough,
    private readonly push: (ev: PlatformEvent) => void,
    private readonly onDpiChanged: () => void,
  ) {}

  readonly wndProc: WndProc = (hwnd, msg, wParam, lParam) => {
    const w = this.windows.get(hwnd);
    if (w) {
      const result = this.handle(w, msg, wParam, lParam);
      if (result !== undefined) return result;
    }
    return DefWindowProcW(hwnd, msg, wParam, lParam);
  };

  forget(hwnd: Handle): void {
    this.tracking.delete(hwnd);
    this.lastHit.delete(hwnd);
    if (this.drag?.window.hwnd === hwnd) {
      this.drag = null;
      ReleaseCapture();
    }
  }

  private handle(w: SurfaceWindow, msg: number, wParam: number, lParam: number): number | undefined {
    if (tracing && msg !== WM_NCHITTEST && msg !== WM_MOUSEMOVE) trace(`surface ${w.hwnd} msg 0x${msg.toString(16)} wParam ${wParam} lParam ${lParam}`);
    switch (msg) {
      case WM_NCHITTEST:
        return this.nchittest(w, lParam);
      case WM_MOUSEACTIVATE:
        return MA_NOACTIVATE;
      case WM_SETCURSOR:
        // The move cursor over a drag region (and while dragging), the arrow elsewhere.
        SetCursor(LoadCursorW(0, this.drag?.window === w || this.lastHit.get(w.hwnd) === 'drag' ? IDC_SIZEALL : IDC_ARROW));
        return 1;
      case WM_MOUSEMOVE:
        if (this.drag?.window === w) {
          this.dragTo(this.drag);
          return 0;
        }
        if (!this.tracking.has(w.hwnd)) {
          if (TrackMouseEvent(trackMouseEvent(TME_LEAVE, w.hwnd))) this.tracking.add(w.hwnd);
        }
        this.push({ type: 'pointer', window: w.hwnd, action: 'move', button: 'left', x: lparamX(lParam), y: lparamY(lParam) });
        return 0;
      case WM_MOUSELEAVE:
        this.tracking.delete(w.hwnd);
        this.push({ type: 'pointer', window: w.hwnd, action: 'leave', button: 'left', x: 0, y: 0 });
        return 0;
      case WM_LBUTTONDOWN: {
        const x = lparamX(lParam);
        const y = lparamY(lParam);
        if (w.kind === 'panel' && this.hitTest(w.hwnd, x, y) === 'drag') {
          this.drag = { window: w, grabX: x, grabY: y, startX: w.bounds.x, startY: w.bounds.y };
          SetCapture(w.hwnd);
          return 0;
        }
        this.push({ type: 'pointer', window: w.hwnd, action: 'down', button: 'left', x, y });
        return 0;
      }
      case WM_LBUTTONUP:
        if (this.drag?.window === w) {
          this.endDrag();
          return 0;
        }
        this.push({ type: 'pointer', window: w.hwnd, action: 'up', button: 'left', x: lparamX(lParam), y: lparamY(lParam) });
        return 0;
      case WM_CAPTURECHANGED:
        if (this.drag?.window === w) this.endDrag();
        return 0;
      case WM_ENTERSIZEMOVE:
        w.moving = true;
        return undefined;
      case WM_EXITSIZEMOVE: {
        w.moving = false;
        if (GetWindowRect(w.hwnd, this.rect)) {
          const r = readRect(this.rect);
          w.bounds = { ...w.bounds, x: r.x, y: r.y };
          this.push({ type: 'windowMoved', window: w.hwnd, x: r.x, y: r.y });
        }
        return undefined;
      }
      case WM_DPICHANGED:
        // The engine picks the bounds (logical → physical at the new DPI); the suggested rect is ignored.
        this.onDpiChanged();
        this.push({ type: 'dpiChanged', window: w.hwnd, dpi: loword(wParam) });
        return 0;
      default: {
        const button = BUTTONS.get(msg);
        if (!button) return undefined;
        this.push({ type: 'pointer', window: w.hwnd, ...button, x: lparamX(lParam), y: lparamY(lParam) });
        return 0;
      }
    }
  }

  private dragTo(drag: Drag): void {
    if (!GetCursorPos(this.cursor)) return;
    const at = readPoint(this.cursor);
    const x = at.x - drag.grabX;
    const y = at.y - drag.grabY;
    if (x !== drag.window.bounds.x || y !== drag.window.bounds.y) drag.window.setBounds({ ...drag.window.bounds, x, y });
  }

  private endDrag(): void {
    const drag = this.drag;
    if (!drag) return;
    this.drag = null; // before ReleaseCapture: it sends WM_CAPTURECHANGED
    this.dragTo(drag);
    ReleaseCapture();
    const b = drag.window.bounds;
    if (b.x !== drag.startX || b.y !== drag.startY) this.push({ type: 'windowMoved', window: drag.window.hwnd, x: b.x, y: b.y });
  }

  private nchittest(w: SurfaceWindow, lParam: number): number {
    if (w.kind !== 'panel' || !w.interactive) return HTTRANSPARENT;
    const origin = GetWindowRect(w.hwnd, this.rect) ? readRect(this.rect) : w.bounds;
    const hit = this.hitTest(w.hwnd, lparamX(lParam) - origin.x, lparamY(lParam) - origin.y);
    this.lastHit.set(w.hwnd, hit);
    if (hit === 'element' || hit === 'drag') return HTCLIENT;
    this.passThrough.begin(w);
    return HTTRANSPARENT;
  }
}
