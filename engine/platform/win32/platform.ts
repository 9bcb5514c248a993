/**
 * The Windows backend: the Platform interface over koffi bindings. Lives on
 * the engine thread (a worker) and is the only code that touches an HWND.
 * Windows' procedures only queue events; the loop hands them to the engine
 * after each dispatch cycle.
 */
import type { MenuItem, Monitor, Rect } from '../../../protocol';
import type { HitTester } from '../hitTest';
import type { Frame, FrameUpdate, LoopHooks, Platform, PlatformEvent, TraySpec, WakeHandle, WindowSpec } from '../platform';
import { GetProcessHeap, HeapCompact } from './bindings/kernel32';
import type { Handle } from './bindings/koffi';
import { WM_DISPLAYCHANGE, WM_ENDSESSION, WM_QUERYENDSESSION, WM_SETTINGCHANGE } from './bindings/user32';
import { enablePerMonitorDpi, probeCapabilities, type PlatformCapabilities } from './capabilities';
import { ControlWindow } from './controlWindow';
import { captureWindow, foreignBounds, foreignShown, ForeignWatcher } from './foreign';
import { SurfaceInput } from './input';
import { MessageLoop } from './loop';
import { Monitors } from './monitors';
import { PassThrough } from './passThrough';
import { SurfaceWindow } from './surfaceWindow';
import { TrayIcons } from './tray';
import { registerWindowClass, type WindowClass } from './windowClass';

/** WM_SETTINGCHANGE's wParam when the work area (taskbar) changed. */
const SPI_SETWORKAREA = 0x002f;

/** How long WM_ENDSESSION waits for the main thread to order the shutdown. */
const END_SESSION_WAIT_MS = 3_000;

export class Win32Platform implements Platform {
  readonly name = 'win32' as const;
  private events: PlatformEvent[] = [];
  private readonly windows = new Map<Handle, SurfaceWindow>();
  private readonly display = new Monitors();
  private readonly control: ControlWindow;
  private readonly loop: MessageLoop;
  private readonly passThrough: PassThrough;
  private readonly input: SurfaceInput;
  private readonly surfaceClass: WindowClass;
  private readonly trays: TrayIcons;
  private readonly foreign: ForeignWatcher;
  private readonly caps: PlatformCapabilities;

  constructor(hitTest: HitTester, wakeFlag: Int32Array) {
    const perMonitorDpi = enablePerMonitorDpi(); // before the first window
    const push = (ev: PlatformEvent): void => {
      this.events.push(ev);
      this.loop.requestCycle();
    };
    this.control = new ControlWindow();
    this.loop = new MessageLoop(this.control);
    this.passThrough = new PassThrough(hitTest, this.control);
    this.input = new SurfaceInput(this.windows, hitTest, this.passThrough, push, () => this.display.invalidate());
    this.surfaceClass = registerWindowClass('Surface', this.input.wndProc);
    this.trays = new TrayIcons(this.control, push, () => this.loop.cycle());
    this.foreign = new ForeignWatcher(this.control, push);
    this.control.on((hwnd, msg, wParam) => {
      if (hwnd !== this.control.listener) return undefined;
      switch (msg) {
        case WM_DISPLAYCHANGE:
          this.display.invalidate();
          push({ type: 'displayChanged' });
          return 0;
        case WM_SETTINGCHANGE:
          if (wParam !== SPI_SETWORKAREA) return undefined;
          this.display.invalidate();
          push({ type: 'displayChanged' });
          return 0;
        case WM_QUERYENDSESSION:
          return 1;
        case WM_ENDSESSION:
          if (wParam !== 0) {
            push({ type: 'shutdownRequested', reason: 'Windows session ending' });
            this.loop.cycle();
            // Windows may end the process as soon as this returns: run cycles until the
            // main thread's shutdown order has been carried out (bounded), so windows,
            // tray icons and the log are dealt with first.
            this.loop.cycleUntilStopped(wakeFlag, END_SESSION_WAIT_MS);
          }
          return 0;
        default:
          return undefined;
      }
    });
    const probe = new SurfaceWindow(this.surfaceClass, { kind: 'hud', bounds: { x: 0, y: 0, width: 1, height: 1 } });
    try {
      this.caps = probeCapabilities(probe.hwnd, this.control.listener, perMonitorDpi);
    } finally {
      probe.destroy();
    }
  }

  capabilities(): PlatformCapabilities {
    return this.caps;
  }

  monitors(): Monitor[] {
    return this.display.list();
  }

  // ---- windows ------------------------------------------------------------------

  createWindow(spec: WindowSpec): number {
    const w = new SurfaceWindow(this.surfaceClass, spec);
    this.windows.set(w.hwnd, w);
    return w.hwnd;
  }

  destroyWindow(window: number): void {
    const w = this.windows.get(window);
    if (!w) return;
    this.passThrough.forget(w);
    this.input.forget(window);
    this.windows.delete(window);
    w.destroy();
  }

  setBounds(window: number, bounds: Rect): void {
    this.windows.get(window)?.setBounds(bounds);
  }

  setVisible(window: number, visible: boolean): void {
    const w = this.windows.get(window);
    if (!w) return;
    if (!visible && w.passThrough) {
      this.passThrough.end(w);
    }
    w.setVisible(visible);
  }

  setOpacity(window: number, opacity: number): void {
    this.windows.get(window)?.setOpacity(opacity);
  }

  present(window: number, update: FrameUpdate): void {
    this.windows.get(window)?.present(update);
  }

  setInteractive(window: number, interactive: boolean): void {
    const w = this.windows.get(window);
    if (w?.kind !== 'panel') return;
    if (!interactive) this.passThrough.end(w);
    w.interactive = interactive;
    w.syncExStyle();
  }

  setCaptureExcluded(window: number, excluded: boolean): boolean {
    const w = this.windows.get(window);
    return w ? w.setCaptureExcluded(excluded) : false;
  }

  // ---- tray -----------------------------------------------------------------------

  createTray(spec: TraySpec): number {
    return this.trays.create(spec);
  }

  updateTray(tray: number, spec: TraySpec): void {
    this.trays.update(tray, spec);
  }

  setTrayMenu(tray: number, items: MenuItem[]): void {
    this.trays.setMenu(tray, items);
  }

  destroyTray(tray: number): void {
    this.trays.destroy(tray);
  }

  trayIconRect(tray: number): Rect | null {
    return this.trays.rect(tray);
  }

  // ---- foreign windows ----------------------------------------------------------

  foreignWindowBounds(window: number): Rect | null {
    return this.windows.has(window) ? null : foreignBounds(window);
  }

  watchForeignWindow(window: number): boolean {
    return this.windows.has(window) ? false : this.foreign.watch(window);
  }

  unwatchForeignWindow(window: number): void {
    this.foreign.unwatch(window);
  }

  foreignWindowShown(window: number): boolean {
    return !this.windows.has(window) && foreignShown(window);
  }

  captureForeignWindow(window: number): Frame | null {
    return this.windows.has(window) ? null : captureWindow(window);
  }

  /** Tests on Windows give real input to real windows (test/win32), never through the engine. */
  testInput(): null {
    return null;
  }

  // ---- loop -------------------------------------------------------------------------

  takeEvents(): PlatformEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  wakeHandle(): WakeHandle {
    return { kind: 'win32', hwnd: this.control.hwnd };
  }

  run(hooks: LoopHooks, exit: () => void): void {
    this.loop.run(hooks, exit);
  }

  returnFreedMemory(): void {
    HeapCompact(GetProcessHeap(), 0);
  }

  dispose(): void {
    for (const window of [...this.windows.keys()]) this.destroyWindow(window);
    this.trays.dispose();
    this.foreign.dispose();
    this.passThrough.dispose();
    this.control.dispose();
    this.surfaceClass.release();
  }
}
