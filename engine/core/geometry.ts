import type { Anchor, Monitor, Placement, Rect } from '../../protocol';
import { PanepipeError } from '../../protocol';

/**
 * Logical ↔ physical coordinates. A monitor's logical origin equals its
 * physical origin and its logical size is its physical size / scale, so
 * monitors never overlap in logical space whatever their DPI.
 */
export function monitorAt(monitors: readonly Monitor[], x: number, y: number, space: 'logical' | 'physical'): Monitor {
  let best = monitors[0]!;
  let bestDistance = Infinity;
  for (const m of monitors) {
    const r = space === 'logical' ? m.bounds : m.physicalBounds;
    const dx = x < r.x ? r.x - x : x >= r.x + r.width ? x - (r.x + r.width - 1) : 0;
    const dy = y < r.y ? r.y - y : y >= r.y + r.height ? y - (r.y + r.height - 1) : 0;
    const distance = dx * dx + dy * dy;
    if (distance < bestDistance) {
      best = m;
      bestDistance = distance;
    }
  }
  return best;
}

/** Physical bounds of a logical rect: scaled by the monitor its top-left lies on. */
export function toPhysical(monitors: readonly Monitor[], r: Rect): Rect {
  const m = monitorAt(monitors, r.x, r.y, 'logical');
  return {
    x: Math.round(m.physicalBounds.x + (r.x - m.bounds.x) * m.scale),
    y: Math.round(m.physicalBounds.y + (r.y - m.bounds.y) * m.scale),
    width: Math.max(1, Math.round(r.width * m.scale)),
    height: Math.max(1, Math.round(r.height * m.scale)),
  };
}

export function toLogicalPoint(monitors: readonly Monitor[], x: number, y: number): { x: number; y: number } {
  const m = monitorAt(monitors, x, y, 'physical');
  return { x: m.bounds.x + (x - m.physicalBounds.x) / m.scale, y: m.bounds.y + (y - m.physicalBounds.y) / m.scale };
}

export function toPhysicalPoint(monitors: readonly Monitor[], x: number, y: number): { x: number; y: number } {
  const m = monitorAt(monitors, x, y, 'logical');
  return { x: m.physicalBounds.x + (x - m.bounds.x) * m.scale, y: m.physicalBounds.y + (y - m.bounds.y) * m.scale };
}

export function scaleAt(monitors: readonly Monitor[], r: Rect): number {
  return monitorAt(monitors, r.x, r.y, 'logical').scale;
}

/** Top-left of a `width`×`height` box placed at `anchor` inside `area`, `margin` inside its edges. */
export function anchorPoint(area: Rect, anchor: Anchor, width: number, height: number, margin: number): { x: number; y: number } {
  const left = area.x + margin;
  const right = area.x + area.width - width - margin;
  const top = area.y + margin;
  const bottom = area.y + area.height - height - margin;
  const cx = area.x + (area.width - width) / 2;
  const cy = area.y + (area.height - height) / 2;
  const x = anchor.endsWith('Left') ? left : anchor.endsWith('Right') ? right : cx;
  const y = anchor.startsWith('top') ? top : anchor.startsWith('bottom') ? bottom : cy;
  return { x: Math.round(x), y: Math.round(y) };
}

/** Logical top-left for a new surface. */
export function resolvePlacement(monitors: readonly Monitor[], placement: Placement | undefined, width: number, height: number): { x: number; y: number } {
  if (!placement) return anchorPoint(monitors[0]!.workArea, 'center', width, height, 0);
  if ('x' in placement) return { x: placement.x, y: placement.y };
  const index = placement.monitor ?? 0;
  const monitor = monitors[index];
  if (!monitor) {
    throw new PanepipeError('invalidCommand', `placement.monitor ${index} does not exist (${monitors.length} monitor(s))`);
  }
  const area = placement.area === 'monitor' ? monitor.bounds : monitor.workArea;
  return anchorPoint(area, placement.anchor, width, height, placement.margin ?? 0);
}
