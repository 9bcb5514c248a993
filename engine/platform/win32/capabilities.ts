/**
 * What this Windows (or Wine) really does, probed once at start-up on a
 * hidden test window instead of assumed:
 *  * captureExclusion — SetWindowDisplayAffinity(WDA_EXCLUDEFROMCAPTURE)
 *    succeeds (FALSE under Wine);
 *  * pip — the engine shows pips by copying the source's pixels, so 'copy'
 *    when PrintWindow works, else 'none' (DWM thumbnails are not used: the
 *    platform interface presents pixels, and Wine's DwmRegisterThumbnail is
 *    E_NOTIMPL anyway);
 *  * backdrop — false: the platform interface has no backdrop call, so a
 *    backdrop could not be applied on any build;
 *  * perMonitorDpi — the process runs per-monitor DPI aware (v2 was set, or
 *    the thread reports per-monitor awareness). Under Wine the call fails
 *    but node.exe already is per-monitor aware, so this reads true there.
 */
import type { Capabilities } from '../../../protocol';
import type { Handle } from './bindings/koffi';
import { CreateCompatibleDC, CreateDIBSection, DeleteDC, DeleteObject, DIB_RGB_COLORS, SelectObject } from './bindings/gdi32';
import {
  DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2,
  DPI_AWARENESS_PER_MONITOR_AWARE,
  GetAwarenessFromDpiAwarenessContext,
  GetDC,
  GetThreadDpiAwarenessContext,
  PrintWindow,
  ReleaseDC,
  SetProcessDpiAwarenessContext,
  SetWindowDisplayAffinity,
  WDA_EXCLUDEFROMCAPTURE,
  WDA_NONE,
} from './bindings/user32';
import { DwmRegisterThumbnail, DwmUnregisterThumbnail } from './bindings/dwmapi';
import { trace, tracing } from './debug';
import { bitmapInfo32 } from './structs';

export type PlatformCapabilities = Omit<Capabilities, 'backend' | 'testInput'>;

/** Call before any window exists. True when the process is per-monitor DPI aware afterwards. */
export function enablePerMonitorDpi(): boolean {
  // FALSE when the awareness is already fixed (e.g. by node.exe's manifest) — then ask what it is.
  const set = SetProcessDpiAwarenessContext?.(DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2) ?? 0;
  const awareness =
    GetThreadDpiAwarenessContext && GetAwarenessFromDpiAwarenessContext ? GetAwarenessFromDpiAwarenessContext(GetThreadDpiAwarenessContext()) : -1;
  trace(`dpi: SetProcessDpiAwarenessContext(PMv2)=${set} thread awareness=${awareness}`);
  return set !== 0 || awareness === DPI_AWARENESS_PER_MONITOR_AWARE;
}

function printWindowWorks(hwnd: Handle): boolean {
  const screen = GetDC(0);
  const dc = CreateCompatibleDC(screen);
  const bitmap = CreateDIBSection(screen, bitmapInfo32(4, 4), DIB_RGB_COLORS, Buffer.alloc(8), 0, 0);
  ReleaseDC(0, screen);
  if (!bitmap) {
    DeleteDC(dc);
    return false;
  }
  const previous = SelectObject(dc, bitmap);
  const ok = PrintWindow(hwnd, dc, 0) !== 0;
  SelectObject(dc, previous);
  DeleteObject(bitmap);
  DeleteDC(dc);
  return ok;
}

/** DWM thumbnail support (HRESULT of DwmRegisterThumbnail), for the trace only: pips copy pixels either way. */
function thumbnailProbe(dest: Handle, source: Handle): string {
  if (!DwmRegisterThumbnail) return 'missing';
  const out = Buffer.alloc(8);
  const hr = DwmRegisterThumbnail(dest, source, out);
  if (hr === 0 && DwmUnregisterThumbnail) DwmUnregisterThumbnail(Number(out.readBigInt64LE(0)));
  return `0x${(hr >>> 0).toString(16)}`;
}

/** `probe` is a hidden layered top-level window of our own; `other` another top-level one. */
export function probeCapabilities(probe: Handle, other: Handle, perMonitorDpi: boolean): PlatformCapabilities {
  const captureExclusion = SetWindowDisplayAffinity(probe, WDA_EXCLUDEFROMCAPTURE) !== 0;
  if (captureExclusion) SetWindowDisplayAffinity(probe, WDA_NONE);
  const print = printWindowWorks(probe);
  if (tracing) trace(`capabilities: SetWindowDisplayAffinity=${captureExclusion} PrintWindow=${print} DwmRegisterThumbnail=${thumbnailProbe(probe, other)}`);
  return {
    captureExclusion,
    backdrop: false,
    pip: print ? 'copy' : 'none',
    tray: true,
    perMonitorDpi,
    backdrops: ['none'],
  };
}
