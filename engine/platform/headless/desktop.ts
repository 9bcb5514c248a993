import type { MenuItem, Monitor, Rect } from '../../../protocol';
import type { Frame, TraySpec, WindowSpec } from '../platform';

export interface VirtualWindow {
  id: number;
  kind: WindowSpec['kind'];
  bounds: Rect;
  visible: boolean;
  opacity: number;
  interactive: boolean;
  captureExcluded: boolean;
  frame: Frame | null;
}

/** A window of "another program": something to anchor to or mirror in a pip. */
export interface ForeignWindow {
  id: number;
  bounds: Rect;
  color: [number, number, number, number];
  title: string;
  minimized: boolean;
}

export interface VirtualTray {
  id: number;
  spec: TraySpec;
  menu: MenuItem[];
}

/** The headless backend's whole world: monitors, overlay windows in z-order, foreign windows, tray. */
export class VirtualDesktop {
  readonly windows = new Map<number, VirtualWindow>();
  /** Overlay window ids, bottom to top. */
  readonly zOrder: number[] = [];
  readonly foreign = new Map<number, ForeignWindow>();
  readonly trays = new Map<number, VirtualTray>();
  private nextId = 0x100;

  constructor(
    public monitors: Monitor[],
    /** Index of the monitor whose taskbar holds the tray icons. */
    private readonly trayMonitor: number,
  ) {}

  newId(): number {
    this.nextId += 4;
    return this.nextId;
  }

  raise(id: number): void {
    const at = this.zOrder.indexOf(id);
    if (at >= 0) this.zOrder.splice(at, 1);
    this.zOrder.push(id);
  }

  /** Visible overlay windows, top first. */
  visibleTopFirst(): VirtualWindow[] {
    const out: VirtualWindow[] = [];
    for (let i = this.zOrder.length - 1; i >= 0; i--) {
      const w = this.windows.get(this.zOrder[i]!);
      if (w?.visible) out.push(w);
    }
    return out;
  }

  /** Where the virtual taskbar puts tray icon `index`: right end of the tray monitor's bottom edge. */
  trayIconRect(id: number): Rect | null {
    const ids = [...this.trays.keys()];
    const index = ids.indexOf(id);
    const monitor = this.monitors[this.trayMonitor];
    if (index < 0 || !monitor) return null;
    const size = Math.round(24 * monitor.scale);
    const p = monitor.physicalBounds;
    return { x: p.x + p.width - (index + 1) * (size + 8), y: p.y + p.height - size - 8, width: size, height: size };
  }
}
