import type { Rect } from '../../protocol';
import type { EngineContext } from './context';
import { anchorPoint, toLogicalPoint } from './geometry';
import type { Surface } from './surface';

/**
 * Logical bounds of an anchored surface: its `anchor` corner placed on the
 * same corner of the target window, inside it (or, with `surfaceCorner:
 * 'topLeft'`, its top-left on that corner), shifted by the offsets.
 */
export function anchorBounds(ctx: EngineContext, surface: Surface): Rect | null {
  const anchor = surface.anchor;
  if (!anchor) return null;
  const physical = ctx.platform.foreignWindowBounds(anchor.target);
  if (!physical) return null;
  const monitors = ctx.monitors();
  const topLeft = toLogicalPoint(monitors, physical.x, physical.y);
  const bottomRight = toLogicalPoint(monitors, physical.x + physical.width, physical.y + physical.height);
  const target = { x: topLeft.x, y: topLeft.y, width: bottomRight.x - topLeft.x, height: bottomRight.y - topLeft.y };
  const [width, height] = anchor.surfaceCorner === 'topLeft' ? [0, 0] : [surface.bounds.width, surface.bounds.height];
  const at = anchorPoint(target, anchor.anchor, width, height, 0);
  return { ...surface.bounds, x: at.x + anchor.offsetX, y: at.y + anchor.offsetY };
}
