import type { KeyedElement, Scene } from '../core/scene';
import { paintedBoundsOf } from './bounds';

/** A box of whole physical pixels: [left, right) × [top, bottom). */
export interface PixelBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Physical pixels anti-aliasing may touch past a painted box's edge: the
 * pixel an edge crosses, and one more where Skia snaps a glyph or an image
 * edge to the pixel grid.
 */
const AA_PAD = 2;

export function boxArea(box: PixelBox): number {
  return (box.right - box.left) * (box.bottom - box.top);
}

export function unionBox(a: PixelBox | null, b: PixelBox | null): PixelBox | null {
  if (!a) return b;
  if (!b) return a;
  return { left: Math.min(a.left, b.left), top: Math.min(a.top, b.top), right: Math.max(a.right, b.right), bottom: Math.max(a.bottom, b.bottom) };
}

export function intersects(a: PixelBox, b: PixelBox): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** The physical pixels of a `width`×`height` surface an element may paint at `scale`, or null if none. */
export function elementPixels(element: KeyedElement, scale: number, width: number, height: number): PixelBox | null {
  const { x, y, width: w, height: h } = paintedBoundsOf(element);
  if (!(w > 0 && h > 0)) return null;
  const box = {
    left: Math.max(0, Math.floor(x * scale) - AA_PAD),
    top: Math.max(0, Math.floor(y * scale) - AA_PAD),
    right: Math.min(width, Math.ceil((x + w) * scale) + AA_PAD),
    bottom: Math.min(height, Math.ceil((y + h) * scale) + AA_PAD),
  };
  return box.left < box.right && box.top < box.bottom ? box : null;
}

/** The pixels the changes touch: for each changed key, where its element was and where it is now. */
export function damageOf(changes: ReadonlyMap<string, KeyedElement | undefined>, scene: Scene, scale: number, width: number, height: number): PixelBox | null {
  let damage: PixelBox | null = null;
  for (const [key, before] of changes) {
    if (before) damage = unionBox(damage, elementPixels(before, scale, width, height));
    const now = scene.get(key);
    if (now) damage = unionBox(damage, elementPixels(now, scale, width, height));
  }
  return damage;
}

/**
 * Whether an element paints the same pixels whatever clip it is drawn
 * under. Rect fills and frames, glyph masks and image samples are computed
 * per pixel; a path's anti-aliasing is not: Skia cuts a path's edges at the
 * clip, so its edge pixels can differ by a few levels from an unclipped draw.
 */
function clipExact(element: KeyedElement): boolean {
  return element.kind === 'text' || element.kind === 'image' || (element.kind === 'rect' && !element.cornerRadius);
}

function contains(outer: PixelBox, inner: PixelBox): boolean {
  return outer.left <= inner.left && outer.top <= inner.top && outer.right >= inner.right && outer.bottom >= inner.bottom;
}

/**
 * The box to redraw for `damage`: grown until every path-drawn element
 * reaching into it lies wholly inside, so each path is drawn under the
 * clip a full frame gives it (the surface's edges) and its pixels match a
 * full frame's byte for byte.
 */
export function redrawBox(damage: PixelBox, scene: Scene, scale: number, width: number, height: number): PixelBox {
  let box = damage;
  for (let grown = true; grown; ) {
    grown = false;
    for (const element of scene.drawOrder()) {
      if (clipExact(element)) continue;
      const painted = elementPixels(element, scale, width, height);
      if (painted && intersects(painted, box) && !contains(box, painted)) {
        box = unionBox(box, painted)!;
        grown = true;
      }
    }
  }
  return box;
}
