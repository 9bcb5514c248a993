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

/**
 * What a shape op is traced onto: Skia's path, to draw it, or an Outline,
 * to weigh it (engine/render/cost.ts). The methods are Canvas 2D's path
 * methods, which Path2D has.
 */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  quadraticCurveTo(cpx: number, cpy: number, x: number, y: number): void;
  bezierCurveTo(cp1x: number, cp1y: number, cp2x: number, cp2y: number, x: number, y: number): void;
  arc(x: number, y: number, radius: number, startAngle: number, endAngle: number, counterclockwise?: boolean): void;
  ellipse(x: number, y: number, rx: number, ry: number, rotation: number, startAngle: number, endAngle: number): void;
  rect(x: number, y: number, width: number, height: number): void;
  roundRect(x: number, y: number, width: number, height: number, radius: number): void;
  closePath(): void;
}

/** Trace a shape op onto `sink`, after its SVG data `d` (which the sink's owner reads). */
export function traceShape(op: ShapeOp, sink: PathSink): void {
  switch (op.type) {
    case 'path':
      for (const c of op.commands ?? []) {
        if (c.cmd === 'moveTo') sink.moveTo(c.x, c.y);
        else if (c.cmd === 'lineTo') sink.lineTo(c.x, c.y);
        else if (c.cmd === 'quadTo') sink.quadraticCurveTo(c.cpx, c.cpy, c.x, c.y);
        else if (c.cmd === 'bezierTo') sink.bezierCurveTo(c.cp1x, c.cp1y, c.cp2x, c.cp2y, c.x, c.y);
        else if (c.cmd === 'arc') sink.arc(c.x, c.y, c.radius, c.startAngle, c.endAngle, c.counterclockwise);
        else sink.closePath();
      }
      break;
    case 'line':
      sink.moveTo(op.x1, op.y1);
      sink.lineTo(op.x2, op.y2);
      break;
    case 'polyline':
      for (let i = 0; i + 1 < op.points.length; i += 2) {
        if (i === 0) sink.moveTo(op.points[0]!, op.points[1]!);
        else sink.lineTo(op.points[i]!, op.points[i + 1]!);
      }
      if (op.closed) sink.closePath();
      break;
    case 'rect':
      if (op.cornerRadius) sink.roundRect(op.x, op.y, op.width, op.height, Math.min(op.cornerRadius, op.width / 2, op.height / 2));
      else sink.rect(op.x, op.y, op.width, op.height);
      break;
    case 'ellipse':
      sink.ellipse(op.cx, op.cy, op.rx, op.ry, 0, 0, 2 * Math.PI);
      break;
    case 'arc':
      sink.arc(op.cx, op.cy, op.radius, op.startAngle, op.endAngle, op.counterclockwise);
      break;
  }
}

function buildPath(op: ShapeOp): Path2D {
  const path = op.type === 'path' && op.d !== undefined ? new Path2D(op.d) : new Path2D();
  traceShape(op, path);
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
