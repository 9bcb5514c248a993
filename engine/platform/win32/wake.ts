/**
 * Main-thread side of the win32 wake: one PostMessageW to the engine
 * thread's control window. Loaded by engine/thread/engineThread.ts only when
 * the engine thread reports a win32 wake handle; it binds PostMessageW and
 * nothing else (the rest of the backend belongs to the engine thread).
 */

/** The message the control window treats as "the command channel has items". */
export const WM_PANEPIPE_WAKE = 0x8000 /* WM_APP */ + 1;

type PostMessage = (hwnd: number, msg: number, wParam: number, lParam: number) => number;
let post: PostMessage | null = null;

export function postWake(hwnd: number): void {
  if (!post) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const koffi = require('koffi') as typeof import('koffi');
    const user32 = koffi.load('user32.dll');
    post = user32.func('int __stdcall PostMessageW(intptr_t hwnd, uint32_t msg, uintptr_t wParam, intptr_t lParam)') as unknown as PostMessage;
  }
  post(hwnd, WM_PANEPIPE_WAKE, 0, 0);
}
