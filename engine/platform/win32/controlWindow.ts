/**
 * The engine thread's own windows, sharing one procedure:
 *  * a message-only window — target of wakes from the main thread and of
 *    the loop's timers (message-only windows get no broadcasts);
 *  * a hidden top-level "listener" — receives broadcasts (WM_DISPLAYCHANGE,
 *    WM_SETTINGCHANGE, WM_QUERYENDSESSION/WM_ENDSESSION, TaskbarCreated)
 *    and owns tray icons and their menus (SetForegroundWindow needs a
 *    top-level window).
 * Modules subscribe with `on(handler)`; the first handler returning a number
 * answers the message, otherwise DefWindowProcW does.
 */
import type { Handle } from './bindings/koffi';
import { GetLastError } from './bindings/kernel32';
import { CreateWindowExW, DefWindowProcW, DestroyWindow, HWND_MESSAGE, WS_EX_TOOLWINDOW, WS_POPUP } from './bindings/user32';
import { registerWindowClass, type WindowClass } from './windowClass';

export type MessageHandler = (hwnd: Handle, msg: number, wParam: number, lParam: number) => number | undefined;

export class ControlWindow {
  /** Message-only window: wake and timer target. */
  readonly hwnd: Handle;
  /** Hidden top-level window: broadcasts, tray owner. */
  readonly listener: Handle;
  private readonly handlers: MessageHandler[] = [];
  private readonly cls: WindowClass;

  constructor() {
    this.cls = registerWindowClass('Control', (hwnd, msg, wParam, lParam) => {
      for (const handler of this.handlers) {
        const result = handler(hwnd, msg, wParam, lParam);
        if (result !== undefined) return result;
      }
      return DefWindowProcW(hwnd, msg, wParam, lParam);
    });
    this.hwnd = CreateWindowExW(0, this.cls.name, 'panepipe control', 0, 0, 0, 0, 0, HWND_MESSAGE, 0, this.cls.instance, 0);
    if (!this.hwnd) throw new Error(`CreateWindowExW(message-only) failed, GetLastError=${GetLastError()}`);
    this.listener = CreateWindowExW(WS_EX_TOOLWINDOW, this.cls.name, 'panepipe', WS_POPUP, 0, 0, 0, 0, 0, 0, this.cls.instance, 0);
    if (!this.listener) throw new Error(`CreateWindowExW(listener) failed, GetLastError=${GetLastError()}`);
  }

  on(handler: MessageHandler): void {
    this.handlers.push(handler);
  }

  dispose(): void {
    DestroyWindow(this.listener);
    DestroyWindow(this.hwnd);
    this.handlers.length = 0;
    this.cls.release();
  }
}
