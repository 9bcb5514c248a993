import type { Rect, SurfaceKind } from '../../protocol';
import type { EngineContext, Invocation } from './context';
import { scaleAt, toPhysical } from './geometry';
import { Scene } from './scene';
import type { Surface } from './surface';

/** A surface with every optional state at its default. */
export function blankSurface(id: string, kind: SurfaceKind, session: number, handle: number, bounds: Rect): Surface {
  return {
    id,
    kind,
    session,
    bounds,
    visible: false,
    opacity: 1,
    handle,
    scene: null,
    draggable: false,
    dragHeight: undefined,
    positionKey: undefined,
    anchor: null,
    fade: null,
    captureExcluded: false,
    backdrop: 'none',
    presentedVersion: -1,
    presentedAt: -Infinity,
    needsPresent: true,
    pip: null,
    tray: null,
    popupOf: null,
  };
}

/** A new hud, panel or pip with its platform window (hidden). */
export function createWindowSurface(ctx: EngineContext, inv: Invocation, kind: Exclude<SurfaceKind, 'tray'>, bounds: Rect, extra: Partial<Surface>): Surface {
  const handle = ctx.platform.createWindow({ kind, bounds: toPhysical(ctx.monitors(), bounds) });
  const surface: Surface = {
    ...blankSurface(ctx.registry.newId(kind), kind, inv.session, handle, bounds),
    scene: kind === 'pip' ? null : new Scene(),
    ...extra,
  };
  if (surface.opacity !== 1) ctx.platform.setOpacity(handle, surface.opacity);
  ctx.registry.add(surface);
  return surface;
}

/** Destroy a surface and release what it holds on the platform. */
export function destroySurface(ctx: EngineContext, surface: Surface): void {
  ctx.registry.remove(surface);
  if (surface.kind === 'tray') {
    ctx.platform.destroyTray(surface.handle);
    const popup = surface.tray?.popup ? ctx.registry.get(surface.tray.popup) : undefined;
    if (popup) popup.popupOf = null;
    return;
  }
  if (surface.anchor) ctx.platform.unwatchForeignWindow(surface.anchor.target);
  if (surface.pip) ctx.platform.unwatchForeignWindow(surface.pip.source);
  if (surface.popupOf) {
    const tray = ctx.registry.get(surface.popupOf);
    if (tray?.tray) tray.tray.popup = null;
  }
  if (surface.scene) ctx.renderer.release(surface.scene);
  ctx.platform.destroyWindow(surface.handle);
}

export function destroySession(ctx: EngineContext, session: number): void {
  for (const s of ctx.registry.ofSession(session)) destroySurface(ctx, s);
}

/**
 * Move/resize in logical space and tell the platform; re-render if the size
 * or DPI changed, and weigh the scene again (its cost clips to the surface
 * and scales with it).
 */
export function setBounds(ctx: EngineContext, surface: Surface, bounds: Rect): void {
  const monitors = ctx.monitors();
  const resized =
    bounds.width !== surface.bounds.width || bounds.height !== surface.bounds.height || scaleAt(monitors, bounds) !== scaleAt(monitors, surface.bounds);
  surface.bounds = bounds;
  ctx.platform.setBounds(surface.handle, toPhysical(monitors, bounds));
  if (!resized) return;
  surface.needsPresent = true;
  const scale = scaleAt(monitors, bounds);
  surface.scene?.recost((element) => ctx.renderer.weigh(element, bounds.width, bounds.height, scale).cost);
}

export function setVisible(ctx: EngineContext, surface: Surface, visible: boolean): void {
  if (surface.visible === visible) return;
  surface.visible = visible;
  ctx.platform.setVisible(surface.handle, visible);
}

/** Remember a moved surface's position under its key (persisted by the main thread). */
export function notePosition(ctx: EngineContext, surface: Surface): void {
  if (surface.positionKey) {
    ctx.outbox.send({ t: 'position', key: surface.positionKey, x: surface.bounds.x, y: surface.bounds.y });
  }
}
