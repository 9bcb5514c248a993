import type { HitResult } from '../platform/hitTest';
import type { PlatformEvent } from '../platform/platform';
import type { EngineContext } from './context';
import { scaleAt } from './geometry';
import type { Surface } from './surface';

type PointerEvent = Extract<PlatformEvent, { type: 'pointer' }>;

/** Topmost interactive element under a logical point of a panel. */
function elementAt(ctx: EngineContext, s: Surface, x: number, y: number): string | null {
  if (s.kind !== 'panel' || !s.scene) return null;
  const order = s.scene.drawOrder();
  for (let i = order.length - 1; i >= 0; i--) {
    const e = order[i]!;
    if (!e.interactive) continue;
    const b = ctx.renderer.elementBounds(s.scene, e.key);
    if (b && x >= b.x && y >= b.y && x < b.x + b.width && y < b.y + b.height) return e.key;
  }
  return null;
}

/**
 * What a physical point inside a window means. The one hit test both
 * backends use: win32 answers WM_NCHITTEST with it, headless routes
 * injected input with it. Interactive elements win over the drag region.
 */
export function hitTest(ctx: EngineContext, window: number, px: number, py: number): HitResult {
  const s = ctx.registry.byPlatformHandle(window);
  if (s?.kind !== 'panel' || !s.visible) return 'transparent';
  const scale = scaleAt(ctx.monitors(), s.bounds);
  const x = px / scale;
  const y = py / scale;
  if (elementAt(ctx, s, x, y) !== null) return 'element';
  if (s.draggable && (s.dragHeight === undefined || y < s.dragHeight)) return 'drag';
  return 'transparent';
}

/** Hover and press state per surface, turned into element events. */
export class InputTracker {
  private readonly hovered = new Map<string, string>();
  private readonly pressed = new Map<string, string>();

  handle(ctx: EngineContext, ev: PointerEvent): void {
    const s = ctx.registry.byPlatformHandle(ev.window);
    if (s?.kind !== 'panel') return;
    const scale = scaleAt(ctx.monitors(), s.bounds);
    const x = ev.x / scale;
    const y = ev.y / scale;
    const key = ev.action === 'leave' ? null : elementAt(ctx, s, x, y);
    this.hover(ctx, s, key);
    if (ev.action === 'down' && key) this.pressed.set(s.id, key);
    if (ev.action === 'up') {
      const pressedKey = this.pressed.get(s.id);
      this.pressed.delete(s.id);
      if (key && key === pressedKey) {
        ctx.outbox.event(s.session, { type: 'elementClicked', surface: s.id, key, button: ev.button, x, y });
      }
    }
  }

  forget(surface: string): void {
    this.hovered.delete(surface);
    this.pressed.delete(surface);
  }

  private hover(ctx: EngineContext, s: Surface, key: string | null): void {
    const previous = this.hovered.get(s.id) ?? null;
    if (previous === key) return;
    if (previous !== null) ctx.outbox.event(s.session, { type: 'elementLeft', surface: s.id, key: previous });
    if (key === null) this.hovered.delete(s.id);
    else {
      this.hovered.set(s.id, key);
      ctx.outbox.event(s.session, { type: 'elementHovered', surface: s.id, key });
    }
  }
}
