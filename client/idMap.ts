import type { BatchEntry, PanepipeEvent, SurfaceId } from '../protocol';

/**
 * Surface ids as the application knows them ↔ ids on the current engine.
 * Identity until the first reconnect; after it, every id crossing the wire
 * is translated, so handles keep working with the ids they were given.
 */
export class IdMap {
  private readonly toEngineIds = new Map<SurfaceId, SurfaceId>();
  private readonly toClientIds = new Map<SurfaceId, SurfaceId>();
  /** Client ids handed out for surfaces created after a reconnect, clear of every earlier id. */
  private nextOwn = 1_000_000_001;

  get active(): boolean {
    return this.toEngineIds.size > 0;
  }

  bind(clientId: SurfaceId, engineId: SurfaceId): void {
    this.toEngineIds.set(clientId, engineId);
    this.toClientIds.set(engineId, clientId);
  }

  /** Forget every binding of the previous engine before binding the new one. */
  reset(): void {
    this.toEngineIds.clear();
    this.toClientIds.clear();
  }

  /** The client id for an id the engine just created. */
  adopt(engineId: SurfaceId): SurfaceId {
    if (!this.active) return engineId;
    const clientId = `${engineId[0]}${this.nextOwn++}`;
    this.bind(clientId, engineId);
    return clientId;
  }

  toEngine(id: SurfaceId): SurfaceId {
    return this.toEngineIds.get(id) ?? id;
  }

  toClient(id: SurfaceId): SurfaceId {
    return this.toClientIds.get(id) ?? id;
  }

  /** A command with its surface references in engine ids. */
  outgoing<M extends Record<string, unknown>>(message: M): M {
    if (!this.active) return message;
    const out: Record<string, unknown> = { ...message };
    if (typeof out.surface === 'string') out.surface = this.toEngine(out.surface);
    if (typeof out.panel === 'string') out.panel = this.toEngine(out.panel);
    if (Array.isArray(out.commands)) out.commands = (out.commands as BatchEntry[]).map((c) => this.outgoing(c));
    return out as M;
  }

  /** An event with its surface references in client ids. */
  incoming(event: PanepipeEvent): PanepipeEvent {
    if (!this.active) return event;
    const out = { ...event } as Record<string, unknown>;
    if (typeof out.surface === 'string') out.surface = this.toClient(out.surface);
    if (typeof out.tray === 'string') out.tray = this.toClient(out.tray);
    return out as PanepipeEvent;
  }
}
