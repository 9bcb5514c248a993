/** Registers a window class whose procedure is a JS function (koffi callback), once per process. */
import { koffi, type Handle } from './bindings/koffi';
import { GetLastError, GetModuleHandleW } from './bindings/kernel32';
import { DefWindowProcW, RegisterClassExW, WNDPROC, type WndProc } from './bindings/user32';
import { guard } from './callbackErrors';
import { wndClassEx } from './structs';

let counter = 0;

export interface WindowClass {
  name: string;
  instance: Handle;
  /** Unregisters the callback; call after every window of the class is destroyed. */
  release(): void;
}

export function registerWindowClass(prefix: string, proc: WndProc): WindowClass {
  const instance = GetModuleHandleW(null);
  const name = `Panepipe${prefix}_${process.pid}_${++counter}`;
  const callback = koffi.register(guard(proc, DefWindowProcW), koffi.pointer(WNDPROC));
  if (!RegisterClassExW(wndClassEx(name, callback, instance))) {
    const error = GetLastError();
    koffi.unregister(callback);
    throw new Error(`RegisterClassExW(${name}) failed, GetLastError=${error}`);
  }
  return { name, instance, release: () => koffi.unregister(callback) };
}
