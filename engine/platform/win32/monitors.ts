/**
 * Monitors from EnumDisplayMonitors + GetMonitorInfoW + GetDpiForMonitor, as
 * protocol Monitor objects: logical origin = physical origin, logical size =
 * physical size / scale (as engine/platform/headless/monitors.ts). Primary
 * first, then left to right, top to bottom. Cached until invalidated
 * (WM_DISPLAYCHANGE, WM_DPICHANGED, work-area changes).
 */
import type { Monitor, Rect } from '../../../protocol';
import { koffi, type Handle } from './bindings/koffi';
import { GetDpiForMonitor, MDT_EFFECTIVE_DPI } from './bindings/shcore';
import { EnumDisplayMonitors, GetMonitorInfoW, MONITORENUMPROC, MONITORINFOF_PRIMARY } from './bindings/user32';
import { guard, rethrowCallbackError } from './callbackErrors';
import { monitorInfo, readRect } from './structs';

interface RawMonitor {
  physical: Rect;
  work: Rect;
  primary: boolean;
  dpi: number;
}

function monitorDpi(hmon: Handle): number {
  if (!GetDpiForMonitor) return 96;
  const x = Buffer.alloc(4);
  const y = Buffer.alloc(4);
  if (GetDpiForMonitor(hmon, MDT_EFFECTIVE_DPI, x, y) !== 0) return 96;
  const dpi = x.readUInt32LE(0);
  return dpi >= 48 && dpi <= 960 ? dpi : 96;
}

function enumerate(): RawMonitor[] {
  const found: RawMonitor[] = [];
  const callback = koffi.register(
    guard(
      (hmon: Handle) => {
        const info = monitorInfo();
        if (GetMonitorInfoW(hmon, info)) {
          found.push({
            physical: readRect(info, 4),
            work: readRect(info, 20),
            primary: (info.readUInt32LE(36) & MONITORINFOF_PRIMARY) !== 0,
            dpi: monitorDpi(hmon),
          });
        }
        return 1;
      },
      () => 0,
    ),
    koffi.pointer(MONITORENUMPROC),
  );
  try {
    EnumDisplayMonitors(0, null, callback, 0);
  } finally {
    koffi.unregister(callback);
  }
  rethrowCallbackError();
  return found;
}

export function toMonitors(raw: RawMonitor[]): Monitor[] {
  const sorted = [...raw].sort((a, b) => Number(b.primary) - Number(a.primary) || a.physical.x - b.physical.x || a.physical.y - b.physical.y);
  return sorted.map((m, index) => {
    const scale = m.dpi / 96;
    const p = m.physical;
    const w = m.work;
    const bounds = { x: p.x, y: p.y, width: p.width / scale, height: p.height / scale };
    const workArea = {
      x: p.x + (w.x - p.x) / scale,
      y: p.y + (w.y - p.y) / scale,
      width: w.width / scale,
      height: w.height / scale,
    };
    return { index, primary: index === 0, bounds, workArea, physicalBounds: { ...p }, dpi: m.dpi, scale };
  });
}

export class Monitors {
  private cached: Monitor[] | null = null;

  list(): Monitor[] {
    if (!this.cached) {
      const raw = enumerate();
      // Never hand the engine an empty desktop (a session without a display): assume one 1920×1080 screen.
      this.cached = toMonitors(
        raw.length > 0
          ? raw
          : [
              {
                physical: { x: 0, y: 0, width: 1920, height: 1080 },
                work: { x: 0, y: 0, width: 1920, height: 1080 },
                primary: true,
                dpi: 96,
              },
            ],
      );
    }
    return this.cached;
  }

  invalidate(): void {
    this.cached = null;
  }
}
