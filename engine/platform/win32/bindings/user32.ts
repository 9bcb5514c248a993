/** user32.dll: windows, messages, timers, input, menus, icons, monitors, hooks. */
import { bind, bindOptional, koffi, type Handle } from './koffi';

const lib = koffi.load('user32.dll');

// ---- callback prototypes ------------------------------------------------------

export const WNDPROC = koffi.proto('intptr_t __stdcall PanepipeWndProc(intptr_t hwnd, uint32_t msg, uintptr_t wParam, intptr_t lParam)');
export const MONITORENUMPROC = koffi.proto('int __stdcall PanepipeMonitorEnumProc(intptr_t hmon, intptr_t hdc, void *rect, intptr_t data)');
export const WINEVENTPROC = koffi.proto(
  'void __stdcall PanepipeWinEventProc(intptr_t hook, uint32_t event, intptr_t hwnd, int32_t idObject, int32_t idChild, uint32_t thread, uint32_t time)',
);
export const HOOKPROC = koffi.proto('intptr_t __stdcall PanepipeHookProc(int code, uintptr_t wParam, void *lParam)');

export type WndProc = (hwnd: Handle, msg: number, wParam: number, lParam: number) => number;

// ---- window classes and windows -----------------------------------------------

export const WNDCLASSEXW = koffi.struct('PanepipeWNDCLASSEXW', {
  cbSize: 'uint32_t',
  style: 'uint32_t',
  lpfnWndProc: 'void *',
  cbClsExtra: 'int',
  cbWndExtra: 'int',
  hInstance: 'intptr_t',
  hIcon: 'intptr_t',
  hCursor: 'intptr_t',
  hbrBackground: 'intptr_t',
  lpszMenuName: 'str16',
  lpszClassName: 'str16',
  hIconSm: 'intptr_t',
});

export const RegisterClassExW = bind<(wc: Record<string, unknown>) => number>(lib, 'uint16_t __stdcall RegisterClassExW(const PanepipeWNDCLASSEXW *wc)');
export const CreateWindowExW = bind<
  (
    ex: number,
    cls: string,
    title: string,
    style: number,
    x: number,
    y: number,
    w: number,
    h: number,
    parent: Handle,
    menu: Handle,
    inst: Handle,
    param: Handle,
  ) => Handle
>(
  lib,
  'intptr_t __stdcall CreateWindowExW(uint32_t ex, str16 cls, str16 title, uint32_t style, int x, int y, int w, int h, intptr_t parent, intptr_t menu, intptr_t inst, intptr_t param)',
);
export const DestroyWindow = bind<(hwnd: Handle) => number>(lib, 'int __stdcall DestroyWindow(intptr_t hwnd)');
export const DefWindowProcW = bind<(hwnd: Handle, msg: number, wParam: number, lParam: number) => number>(
  lib,
  'intptr_t __stdcall DefWindowProcW(intptr_t hwnd, uint32_t msg, uintptr_t wParam, intptr_t lParam)',
);
export const ShowWindow = bind<(hwnd: Handle, cmd: number) => number>(lib, 'int __stdcall ShowWindow(intptr_t hwnd, int cmd)');
export const SetWindowPos = bind<(hwnd: Handle, after: Handle, x: number, y: number, cx: number, cy: number, flags: number) => number>(
  lib,
  'int __stdcall SetWindowPos(intptr_t hwnd, intptr_t after, int x, int y, int cx, int cy, uint32_t flags)',
);
export const GetWindowLongPtrW = bind<(hwnd: Handle, index: number) => number>(lib, 'intptr_t __stdcall GetWindowLongPtrW(intptr_t hwnd, int index)');
export const SetWindowLongPtrW = bind<(hwnd: Handle, index: number, value: number) => number>(
  lib,
  'intptr_t __stdcall SetWindowLongPtrW(intptr_t hwnd, int index, intptr_t value)',
);
export const GetWindowRect = bind<(hwnd: Handle, rect: Buffer) => number>(lib, 'int __stdcall GetWindowRect(intptr_t hwnd, void *rect)');
export const IsWindow = bind<(hwnd: Handle) => number>(lib, 'int __stdcall IsWindow(intptr_t hwnd)');
export const IsWindowVisible = bind<(hwnd: Handle) => number>(lib, 'int __stdcall IsWindowVisible(intptr_t hwnd)');
/** UPDATELAYEREDWINDOWINFO; its pointers are Buffers holding POINT, SIZE, BLENDFUNCTION and RECT (../structs.ts), or null. */
export const UPDATELAYEREDWINDOWINFO = koffi.struct('PanepipeUPDATELAYEREDWINDOWINFO', {
  cbSize: 'uint32_t',
  hdcDst: 'intptr_t',
  pptDst: 'void *',
  psize: 'void *',
  hdcSrc: 'intptr_t',
  pptSrc: 'void *',
  crKey: 'uint32_t',
  pblend: 'void *',
  dwFlags: 'uint32_t',
  prcDirty: 'void *',
});
export const UPDATELAYEREDWINDOWINFO_SIZE = 80;
export const UpdateLayeredWindowIndirect = bind<(hwnd: Handle, info: Record<string, unknown>) => number>(
  lib,
  'int __stdcall UpdateLayeredWindowIndirect(intptr_t hwnd, const PanepipeUPDATELAYEREDWINDOWINFO *info)',
);
export const IsIconic = bind<(hwnd: Handle) => number>(lib, 'int __stdcall IsIconic(intptr_t hwnd)');
export const SetWindowDisplayAffinity = bind<(hwnd: Handle, affinity: number) => number>(
  lib,
  'int __stdcall SetWindowDisplayAffinity(intptr_t hwnd, uint32_t affinity)',
);
export const GetDC = bind<(hwnd: Handle) => Handle>(lib, 'intptr_t __stdcall GetDC(intptr_t hwnd)');
export const GetWindowDC = bind<(hwnd: Handle) => Handle>(lib, 'intptr_t __stdcall GetWindowDC(intptr_t hwnd)');
export const ReleaseDC = bind<(hwnd: Handle, hdc: Handle) => number>(lib, 'int __stdcall ReleaseDC(intptr_t hwnd, intptr_t hdc)');
export const PrintWindow = bind<(hwnd: Handle, hdc: Handle, flags: number) => number>(
  lib,
  'int __stdcall PrintWindow(intptr_t hwnd, intptr_t hdc, uint32_t flags)',
);
export const SetForegroundWindow = bind<(hwnd: Handle) => number>(lib, 'int __stdcall SetForegroundWindow(intptr_t hwnd)');

// ---- messages and timers ----------------------------------------------------------

export const GetMessageW = bind<(msg: Buffer, hwnd: Handle, min: number, max: number) => number>(
  lib,
  'int __stdcall GetMessageW(void *msg, intptr_t hwnd, uint32_t min, uint32_t max)',
);
export const PeekMessageW = bind<(msg: Buffer, hwnd: Handle, min: number, max: number, remove: number) => number>(
  lib,
  'int __stdcall PeekMessageW(void *msg, intptr_t hwnd, uint32_t min, uint32_t max, uint32_t remove)',
);
export const TranslateMessage = bind<(msg: Buffer) => number>(lib, 'int __stdcall TranslateMessage(void *msg)');
export const DispatchMessageW = bind<(msg: Buffer) => number>(lib, 'intptr_t __stdcall DispatchMessageW(void *msg)');
export const PostMessageW = bind<(hwnd: Handle, msg: number, wParam: number, lParam: number) => number>(
  lib,
  'int __stdcall PostMessageW(intptr_t hwnd, uint32_t msg, uintptr_t wParam, intptr_t lParam)',
);
export const RegisterWindowMessageW = bind<(name: string) => number>(lib, 'uint32_t __stdcall RegisterWindowMessageW(str16 name)');
export const SetTimer = bind<(hwnd: Handle, id: number, ms: number, fn: Handle) => number>(
  lib,
  'uintptr_t __stdcall SetTimer(intptr_t hwnd, uintptr_t id, uint32_t ms, intptr_t fn)',
);
export const KillTimer = bind<(hwnd: Handle, id: number) => number>(lib, 'int __stdcall KillTimer(intptr_t hwnd, uintptr_t id)');

// ---- input ----------------------------------------------------------------------

export const TrackMouseEvent = bind<(tme: Buffer) => number>(lib, 'int __stdcall TrackMouseEvent(void *tme)');
export const SetCapture = bind<(hwnd: Handle) => Handle>(lib, 'intptr_t __stdcall SetCapture(intptr_t hwnd)');
export const ReleaseCapture = bind<() => number>(lib, 'int __stdcall ReleaseCapture()');
export const GetCursorPos = bind<(pt: Buffer) => number>(lib, 'int __stdcall GetCursorPos(void *pt)');
export const LoadCursorW = bind<(inst: Handle, id: number) => Handle>(lib, 'intptr_t __stdcall LoadCursorW(intptr_t inst, uintptr_t id)');
export const SetCursor = bind<(cursor: Handle) => Handle>(lib, 'intptr_t __stdcall SetCursor(intptr_t cursor)');
export const SetWindowsHookExW = bind<(id: number, fn: bigint, inst: Handle, thread: number) => Handle>(
  lib,
  'intptr_t __stdcall SetWindowsHookExW(int id, void *fn, intptr_t inst, uint32_t thread)',
);
export const UnhookWindowsHookEx = bind<(hook: Handle) => number>(lib, 'int __stdcall UnhookWindowsHookEx(intptr_t hook)');
export const CallNextHookEx = bind<(hook: Handle, code: number, wParam: number, lParam: unknown) => number>(
  lib,
  'intptr_t __stdcall CallNextHookEx(intptr_t hook, int code, uintptr_t wParam, void *lParam)',
);
export const SetWinEventHook = bind<(min: number, max: number, mod: Handle, fn: bigint, pid: number, tid: number, flags: number) => Handle>(
  lib,
  'intptr_t __stdcall SetWinEventHook(uint32_t min, uint32_t max, intptr_t mod, void *fn, uint32_t pid, uint32_t tid, uint32_t flags)',
);
export const UnhookWinEvent = bind<(hook: Handle) => number>(lib, 'int __stdcall UnhookWinEvent(intptr_t hook)');

// ---- menus and icons ----------------------------------------------------------------

export const CreatePopupMenu = bind<() => Handle>(lib, 'intptr_t __stdcall CreatePopupMenu()');
export const AppendMenuW = bind<(menu: Handle, flags: number, id: number, text: string | null) => number>(
  lib,
  'int __stdcall AppendMenuW(intptr_t menu, uint32_t flags, uintptr_t id, str16 text)',
);
export const DestroyMenu = bind<(menu: Handle) => number>(lib, 'int __stdcall DestroyMenu(intptr_t menu)');
export const TrackPopupMenuEx = bind<(menu: Handle, flags: number, x: number, y: number, hwnd: Handle, params: Buffer | null) => number>(
  lib,
  'int __stdcall TrackPopupMenuEx(intptr_t menu, uint32_t flags, int x, int y, intptr_t hwnd, void *params)',
);
export const CreateIconIndirect = bind<(info: Buffer) => Handle>(lib, 'intptr_t __stdcall CreateIconIndirect(void *info)');
export const DestroyIcon = bind<(icon: Handle) => number>(lib, 'int __stdcall DestroyIcon(intptr_t icon)');
export const LoadIconW = bind<(inst: Handle, name: Handle) => Handle>(lib, 'intptr_t __stdcall LoadIconW(intptr_t inst, intptr_t name)');
export const GetSystemMetrics = bind<(index: number) => number>(lib, 'int __stdcall GetSystemMetrics(int index)');

// ---- monitors and DPI -------------------------------------------------------------------

export const EnumDisplayMonitors = bind<(hdc: Handle, clip: Buffer | null, fn: bigint, data: number) => number>(
  lib,
  'int __stdcall EnumDisplayMonitors(intptr_t hdc, void *clip, void *fn, intptr_t data)',
);
export const GetMonitorInfoW = bind<(hmon: Handle, info: Buffer) => number>(lib, 'int __stdcall GetMonitorInfoW(intptr_t hmon, void *info)');
/** Windows 10 1703+. */
export const SetProcessDpiAwarenessContext = bindOptional<(ctx: number) => number>(lib, 'int __stdcall SetProcessDpiAwarenessContext(intptr_t ctx)');
export const GetThreadDpiAwarenessContext = bindOptional<() => number>(lib, 'intptr_t __stdcall GetThreadDpiAwarenessContext()');
export const GetAwarenessFromDpiAwarenessContext = bindOptional<(ctx: number) => number>(
  lib,
  'int __stdcall GetAwarenessFromDpiAwarenessContext(intptr_t ctx)',
);

// ---- constants -----------------------------------------------------------------------------

export const WS_POPUP = 0x80000000;
export const WS_EX_TOPMOST = 0x8;
export const WS_EX_TRANSPARENT = 0x20;
export const WS_EX_TOOLWINDOW = 0x80;
export const WS_EX_LAYERED = 0x80000;
export const WS_EX_NOACTIVATE = 0x8000000;
export const GWL_EXSTYLE = -20;
export const HWND_MESSAGE = -3;
export const HWND_TOPMOST = -1;

export const SW_HIDE = 0;
export const SW_SHOWNOACTIVATE = 4;
export const SWP_NOSIZE = 0x1;
export const SWP_NOMOVE = 0x2;
export const SWP_NOZORDER = 0x4;
export const SWP_NOACTIVATE = 0x10;
export const SWP_FRAMECHANGED = 0x20;
export const SWP_NOOWNERZORDER = 0x200;

export const ULW_ALPHA = 0x2;
export const AC_SRC_OVER = 0;
export const AC_SRC_ALPHA = 1;
export const WDA_NONE = 0;
export const WDA_EXCLUDEFROMCAPTURE = 0x11;
export const PW_RENDERFULLCONTENT = 0x2;

export const PM_REMOVE = 0x1;
export const WM_NULL = 0x0000;
export const WM_DESTROY = 0x0002;
export const WM_QUERYENDSESSION = 0x0011;
export const WM_ENDSESSION = 0x0016;
export const WM_SETCURSOR = 0x0020;
export const WM_MOUSEACTIVATE = 0x0021;
export const WM_DISPLAYCHANGE = 0x007e;
export const WM_CONTEXTMENU = 0x007b;
export const WM_NCHITTEST = 0x0084;
export const WM_TIMER = 0x0113;
export const WM_MOUSEMOVE = 0x0200;
export const WM_LBUTTONDOWN = 0x0201;
export const WM_LBUTTONUP = 0x0202;
export const WM_LBUTTONDBLCLK = 0x0203;
export const WM_RBUTTONDOWN = 0x0204;
export const WM_RBUTTONUP = 0x0205;
export const WM_RBUTTONDBLCLK = 0x0206;
export const WM_MBUTTONDOWN = 0x0207;
export const WM_MBUTTONUP = 0x0208;
export const WM_MBUTTONDBLCLK = 0x0209;
export const WM_ENTERSIZEMOVE = 0x0231;
export const WM_EXITSIZEMOVE = 0x0232;
export const WM_DPICHANGED = 0x02e0;
export const WM_MOUSELEAVE = 0x02a3;
export const WM_CAPTURECHANGED = 0x0215;
export const WM_SETTINGCHANGE = 0x001a;
export const WM_USER = 0x0400;
export const WM_APP = 0x8000;

export const MA_NOACTIVATE = 3;
export const HTTRANSPARENT = -1;
export const HTCLIENT = 1;
export const HTCAPTION = 2;
export const TME_LEAVE = 0x2;
/** Predefined cursors (MAKEINTRESOURCE ids for LoadCursorW with no instance). */
export const IDC_ARROW = 32512;
export const IDC_SIZEALL = 32646;
export const WH_MOUSE_LL = 14;
export const HC_ACTION = 0;

export const MF_STRING = 0x0;
export const MF_GRAYED = 0x1;
export const MF_CHECKED = 0x8;
export const MF_SEPARATOR = 0x800;
export const TPM_RIGHTBUTTON = 0x2;
export const TPM_BOTTOMALIGN = 0x20;
export const TPM_RETURNCMD = 0x100;
export const TPM_NONOTIFY = 0x80;

export const IDI_APPLICATION = 32512;
export const SM_CXSMICON = 49;
export const SM_CYSMICON = 50;

export const MONITORINFOF_PRIMARY = 0x1;
export const DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2 = -4;
export const DPI_AWARENESS_PER_MONITOR_AWARE = 2;

export const EVENT_OBJECT_DESTROY = 0x8001;
export const EVENT_OBJECT_LOCATIONCHANGE = 0x800b;
export const OBJID_WINDOW = 0;
export const WINEVENT_OUTOFCONTEXT = 0x0;
export const WINEVENT_SKIPOWNPROCESS = 0x2;
