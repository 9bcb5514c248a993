import { LIMITS, PanepipeError, type SurfaceId, type SurfaceKind } from '../../protocol';
import { limitExceeded } from './budgets';
import type { Surface } from './surface';

/** Every live surface, by id, by owning session and by platform handle. */
export class Registry {
  private readonly byId = new Map<SurfaceId, Surface>();
  private readonly bySession = new Map<number, Set<SurfaceId>>();
  private readonly byHandle = new Map<number, Surface>();
  private nextSurface = 1;
  private nextTray = 1;

  newId(kind: SurfaceKind): SurfaceId {
    return kind === 'tray' ? `t${this.nextTray++}` : `s${this.nextSurface++}`;
  }

  /** Throws limitExceeded when the session already owns the maximum. */
  checkCapacity(session: number, adding = 1): void {
    const owned = this.bySession.get(session)?.size ?? 0;
    if (owned + adding > LIMITS.maxSurfacesPerSession) throw limitExceeded('maxSurfacesPerSession');
  }

  add(surface: Surface): void {
    this.byId.set(surface.id, surface);
    this.byHandle.set(surface.handle, surface);
    let owned = this.bySession.get(surface.session);
    if (!owned) {
      owned = new Set();
      this.bySession.set(surface.session, owned);
    }
    owned.add(surface.id);
  }

  remove(surface: Surface): void {
    this.byId.delete(surface.id);
    this.byHandle.delete(surface.handle);
    const owned = this.bySession.get(surface.session);
    owned?.delete(surface.id);
    if (owned?.size === 0) this.bySession.delete(surface.session);
  }

  get(id: SurfaceId): Surface | undefined {
    return this.byId.get(id);
  }

  byPlatformHandle(handle: number): Surface | undefined {
    return this.byHandle.get(handle);
  }

  /**
   * The surface `id` if `session` owns it and its kind is one of `kinds`.
   * Another session's id is reported exactly like a missing one.
   */
  owned(session: number, id: SurfaceId, op: string, kinds?: readonly SurfaceKind[]): Surface {
    const surface = this.byId.get(id);
    if (!surface || surface.session !== session) {
      throw new PanepipeError('unknownSurface', `${op}: no surface "${id}" in this session`);
    }
    if (kinds && !kinds.includes(surface.kind)) {
      throw new PanepipeError('wrongSurfaceKind', `${op}: not supported on a ${surface.kind} (supported: ${kinds.join(', ')})`);
    }
    return surface;
  }

  ofSession(session: number): Surface[] {
    const ids = this.bySession.get(session);
    return ids ? [...ids].map((id) => this.byId.get(id)!) : [];
  }

  all(): IterableIterator<Surface> {
    return this.byId.values();
  }
}
