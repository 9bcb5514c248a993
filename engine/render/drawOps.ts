import { Path2D, type SKRSContext2D } from '@napi-rs/canvas';
import type { DrawElement, DrawOp, Paint } from '../../protocol';
import { drawImageBox } from './images';
import { canvasPaint } from './paint';
import { drawText, textLayoutOf } from './text';

/** Ops that are a path to fill and/or stroke. */
export type ShapeOp = Exclude<DrawOp, { type: 'text' | 'image' }>;

/** Paint used when an op names neither fill nor stroke, the same white as text's default. */
const DEFAULT_PAINT = '#ffffff';
/** Stands in for "unbounded" on the side of a draw element without width or height. */
const UNBOUNDED = 1e7;

/** Built paths by op, so a scene redrawn every frame parses its SVG data once; null: unusable `d`. */
const paths = new WeakMap<ShapeOp, Path2D | null>();

function buildPath(op: ShapeOp): Path2D {
  const path = op.type === 'path' && op.d !== undefined ? new Path2D(op.d) : new Path2D();
  switch (op.type) {
    case 'path':
      for (const c of op.commands ?? []) {
        if (c.cmd === 'moveTo') path.moveTo(c.x, c.y);
        else if (c.cmd === 'lineTo') path.lineTo(c.x, c.y);
        else if (c.cmd === 'quadTo') path.quadraticCurveTo(c.cpx, c.cpy, c.x, c.y);
        else if (c.cmd === 'bezierTo') path.bezierCurveTo(c.cp1x, c.cp1y, c.cp2x, c.cp2y, c.x, c.y);
        else if (c.cmd === 'arc') path.arc(c.x, c.y, c.radius, c.startAngle, c.endAngle, c.counterclockwise);
        else path.closePath();
      }
      break;
    case 'line':
      path.moveTo(op.x1, op.y1);
      path.lineTo(op.x2, op.y2);
      break;
    case 'polyline':
      for (let i = 0; i + 1 < op.points.length; i += 2) {
        if (i === 0) path.moveTo(op.points[0]!, op.points[1]!);
        else path.lineTo(op.points[i]!, op.points[i + 1]!);
      }
      if (op.closed) path.closePath();
      break;
    case 'rect':
      if (op.cornerRadius) path.roundRect(op.x, op.y, op.width, op.height, Math.min(op.cornerRadius, op.width / 2, op.height / 2));
      else path.rect(op.x, op.y, op.width, op.height);
      break;
    case 'ellipse':
      path.ellipse(op.cx, op.cy, op.rx, op.ry, 0, 0, 2 * Math.PI);
      break;
    case 'arc':
      path.arc(op.cx, op.cy, op.radius, op.startAngle, op.endAngle, op.counterclockwise);
      break;
  }
  return path;
}

export function opPath(op: ShapeOp): Path2D | null {
  let path = paths.get(op);
  if (path === undefined) {
    try {
      path = buildPath(op);
    } catch {
      // Only SVG path data that Skia cannot parse throws; such an op draws nothing.
      path = null;
    }
    paths.set(op, path);
  }
  return path;
}

/** What an op fills and strokes: open figures are stroked by default, closed ones filled. */
export function opPaints(op: ShapeOp): { fill?: Paint; stroke?: Paint; strokeWidth: number } {
  const open = op.type === 'line' || op.type === 'arc' || (op.type === 'polyline' && !op.closed);
  const unpainted = op.fill === undefined && op.stroke === undefined;
  return {
    fill: unpainted && !open ? DEFAULT_PAINT : op.fill,
    stroke: unpainted && open ? DEFAULT_PAINT : op.stroke,
    strokeWidth: op.strokeWidth ?? 1,
  };
}

function drawShape(ctx: SKRSContext2D, op: ShapeOp): void {
  const path = opPath(op);
  if (!path) return;
  const { fill, stroke, strokeWidth } = opPaints(op);
  if (fill !== undefined) {
    ctx.fillStyle = canvasPaint(ctx, fill);
    ctx.fill(path);
  }
  // The canvas ignores a zero line width (keeping the previous one), so a zero-width stroke is skipped.
  if (stroke !== undefined && strokeWidth > 0) {
    ctx.strokeStyle = canvasPaint(ctx, stroke);
    ctx.lineWidth = strokeWidth;
    ctx.lineCap = op.lineCap ?? 'butt';
    ctx.lineJoin = op.lineJoin ?? 'miter';
    // An all-zero dash pattern makes Skia fail the stroke; it means a solid line.
    ctx.setLineDash(op.dash?.some((d) => d > 0) ? op.dash : []);
    ctx.stroke(path);
  }
}

/** Draws a draw element's ops relative to its origin, clipped to its width/height where given. */
export function drawOps(ctx: SKRSContext2D, element: DrawElement): void {
  ctx.translate(element.x ?? 0, element.y ?? 0);
  if (element.width !== undefined || element.height !== undefined) {
    ctx.beginPath();
    ctx.rect(
      element.width === undefined ? -UNBOUNDED : 0,
      element.height === undefined ? -UNBOUNDED : 0,
      element.width ?? 2 * UNBOUNDED,
      element.height ?? 2 * UNBOUNDED,
    );
    ctx.clip();
  }
  for (const op of element.ops) {
    if (op.type === 'text') drawText(ctx, textLayoutOf(op), op.x, op.y, op.color);
    else if (op.type === 'image') drawImageBox(ctx, op);
    else drawShape(ctx, op);
  }
}
