import type { DrawElement, DrawOp, ImageElement, Rect } from '../../protocol';
import type { KeyedElement } from '../core/scene';
import { opPaints, opPath, type ShapeOp } from './drawOps';
import { drawableImage } from './images';
import { textLayoutOf } from './text';

function imageBox(box: Pick<ImageElement, 'x' | 'y' | 'width' | 'height' | 'data'>): Rect {
  const image = drawableImage(box);
  return { x: box.x, y: box.y, width: box.width ?? image?.width ?? 0, height: box.height ?? image?.height ?? 0 };
}

/** How far a stroke reaches past its path: half its width for the hit box, or every pixel it may paint. */
type StrokeReach = (op: ShapeOp, strokeWidth: number) => number;

const HALF_STROKE: StrokeReach = (_op, strokeWidth) => strokeWidth / 2;

/** The canvas's miter limit (never changed): a miter join reaches this many half widths from its corner. */
const MITER_LIMIT = 10;

/** Every pixel a stroke may paint: miter joins reach furthest, square caps reach √2 half widths at their corners. */
const PAINTED_STROKE: StrokeReach = (op, strokeWidth) => {
  const join = (op.lineJoin ?? 'miter') === 'miter' ? MITER_LIMIT : 1;
  const cap = op.lineCap === 'square' ? Math.SQRT2 : 1;
  return (strokeWidth / 2) * Math.max(join, cap);
};

/** An op's box in its element's space: the path's bounds grown by the stroke's reach, or the text/image box. */
function opBounds(op: DrawOp, reach: StrokeReach): Rect | null {
  if (op.type === 'text') {
    const layout = textLayoutOf(op);
    return { x: op.x + layout.left, y: op.y, width: layout.width, height: layout.height };
  }
  if (op.type === 'image') return imageBox(op);
  const path = opPath(op);
  if (!path) return null;
  const [left, top, right, bottom] = path.computeTightBounds();
  // An empty path reports a zero box at the origin; it must not stretch the union towards 0,0.
  if (left === right && top === bottom) return null;
  const { stroke, strokeWidth } = opPaints(op);
  const grow = stroke === undefined ? 0 : reach(op, strokeWidth);
  return { x: left - grow, y: top - grow, width: right - left + 2 * grow, height: bottom - top + 2 * grow };
}

/** A draw element's box: its own width/height where given, the union of its ops' boxes otherwise. */
function drawBounds(element: DrawElement, reach: StrokeReach): Rect {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const op of element.ops) {
    const b = opBounds(op, reach);
    if (!b) continue;
    left = Math.min(left, b.x);
    top = Math.min(top, b.y);
    right = Math.max(right, b.x + b.width);
    bottom = Math.max(bottom, b.y + b.height);
  }
  const ox = element.x ?? 0;
  const oy = element.y ?? 0;
  const empty = left > right;
  // Given sides start at the origin, as the clip does.
  const x = element.width !== undefined || empty ? 0 : left;
  const y = element.height !== undefined || empty ? 0 : top;
  return {
    x: ox + x,
    y: oy + y,
    width: element.width ?? (empty ? 0 : right - x),
    height: element.height ?? (empty ? 0 : bottom - y),
  };
}

/** The logical hit box of an element: what it covers, in surface coordinates. */
export function boundsOf(element: KeyedElement): Rect {
  return elementBox(element, HALF_STROKE);
}

/** Painted boxes by element (stored elements never change): a frame's damage looks them up for every element. */
const painted = new WeakMap<KeyedElement, Rect>();

/**
 * A logical box holding every pixel an element may paint: its hit box with
 * strokes' joins and caps (text boxes already hold their ink), before
 * anti-aliasing, which the renderer adds in physical pixels.
 */
export function paintedBoundsOf(element: KeyedElement): Rect {
  let box = painted.get(element);
  if (!box) {
    box = elementBox(element, PAINTED_STROKE);
    painted.set(element, box);
  }
  return box;
}

function elementBox(element: KeyedElement, reach: StrokeReach): Rect {
  switch (element.kind) {
    case 'rect':
      return { x: element.x, y: element.y, width: element.width, height: element.height };
    case 'image':
      return imageBox(element);
    case 'text': {
      const layout = textLayoutOf(element);
      return { x: element.x + layout.left, y: element.y, width: layout.width, height: layout.height };
    }
    case 'draw':
      return drawBounds(element, reach);
  }
}
