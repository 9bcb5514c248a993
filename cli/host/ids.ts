import type { SurfaceId } from '../../protocol';

export type HostKind = 'hud' | 'panel' | 'pip' | 'tray';

export interface HostSurface {
  /** The id the JSON-RPC client sees: "s1", "s2", … or "t1", "t2", … */
  hostId: string;
  /** The engine's id, which need not match (the engine numbers across all its clients). */
  engineId: SurfaceId;
  kind: HostKind;
}

/**
 * The host's own numbering, as winpane-host does it: surfaces (HUDs, panels,
 * pips) are s1, s2, … and trays t1, t2, … in creation order, never reused.
 */
export class HostIds {
  private nextSurface = 1;
  private nextTray = 1;
  private readonly byHost = new Map<string, HostSurface>();
  private readonly byEngine = new Map<string, HostSurface>();

  add(engineId: SurfaceId, kind: HostKind): HostSurface {
    const hostId = kind === 'tray' ? `t${this.nextTray++}` : `s${this.nextSurface++}`;
    const entry = { hostId, engineId, kind };
    this.byHost.set(hostId, entry);
    this.byEngine.set(engineId, entry);
    return entry;
  }

  get(hostId: string): HostSurface | undefined {
    return this.byHost.get(hostId);
  }

  fromEngine(engineId: string): HostSurface | undefined {
    return this.byEngine.get(engineId);
  }

  remove(hostId: string): void {
    const entry = this.byHost.get(hostId);
    if (!entry) return;
    this.byHost.delete(hostId);
    this.byEngine.delete(entry.engineId);
  }

  get size(): number {
    return this.byHost.size;
  }
}
