import type { Monitor } from '../../../protocol';

/**
 * `1920x1080@96,2560x1440@144` — monitors left to right, each WIDTHxHEIGHT@DPI;
 * the first is primary. A `+tray` after one puts the tray icons on its taskbar
 * instead of the primary's, as when the Windows taskbar is moved to another display.
 */
export const DEFAULT_MONITORS_SPEC = '1920x1080@96';

/** The virtual desktop's monitors, and which one's taskbar holds the tray icons. */
export interface MonitorLayout {
  monitors: Monitor[];
  trayMonitor: number;
}

/** Height of the virtual taskbar at the bottom of each monitor's work area, in physical pixels at 96 dpi. */
const TASKBAR_HEIGHT = 40;

export function parseMonitorsSpec(spec: string): MonitorLayout {
  const parts = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.length > 16) throw new Error(`--monitors: expected 1 to 16 monitors, got "${spec}"`);
  const trayMonitors = parts.flatMap((part, index) => (part.endsWith('+tray') ? [index] : []));
  if (trayMonitors.length > 1) throw new Error(`--monitors: "+tray" may follow one monitor only, got "${spec}"`);
  let left = 0;
  const monitors = parts.map((part, index) => {
    const m = /^(\d{2,5})x(\d{2,5})(?:@(\d{2,3}))?(?:\+tray)?$/.exec(part);
    if (!m) throw new Error(`--monitors: "${part}" is not WIDTHxHEIGHT@DPI[+tray]`);
    const width = Number(m[1]);
    const height = Number(m[2]);
    const dpi = m[3] ? Number(m[3]) : 96;
    if (dpi < 48 || dpi > 480) throw new Error(`--monitors: dpi ${dpi} out of range 48..480`);
    const scale = dpi / 96;
    const physicalBounds = { x: left, y: 0, width, height };
    left += width;
    // Logical origin equals the physical origin; logical size is physical size / scale.
    const bounds = { x: physicalBounds.x, y: 0, width: width / scale, height: height / scale };
    const taskbar = Math.round(TASKBAR_HEIGHT * scale);
    const workArea = { ...bounds, height: (height - taskbar) / scale };
    return { index, primary: index === 0, bounds, workArea, physicalBounds, dpi, scale };
  });
  return { monitors, trayMonitor: trayMonitors[0] ?? 0 };
}
