import type { SKRSContext2D } from '@napi-rs/canvas';
import type { RectElement } from '../../protocol';
import type { KeyedElement } from '../core/scene';
import { cssColor } from './colors';
import { drawOps } from './drawOps';
import { drawImageBox } from './images';
import { drawText, textLayoutOf } from './text';

/**
 * Fill, then a border drawn inside the bounds so nothing spills past the
 * rect. Square corners take the canvas's one-call rect forms: a scene of
 * thousands of small rects spends most of its time in calls.
 */
function drawRect(ctx: SKRSContext2D, rect: RectElement): void {
  const { x, y, width, height } = rect;
  const radius = Math.min(rect.cornerRadius ?? 0, width / 2, height / 2);
  if (rect.fill) {
    ctx.fillStyle = cssColor(rect.fill);
    if (radius > 0) {
      ctx.beginPath();
      ctx.roundRect(x, y, width, height, radius);
      ctx.fill();
    } else ctx.fillRect(x, y, width, height);
  }
  const border = Math.min(rect.borderWidth ?? 1, width / 2, height / 2);
  if (rect.borderColor && border > 0) {
    // A stroke straddles its path, so the path runs half a border inside the edge.
    const inset = border / 2;
    ctx.strokeStyle = cssColor(rect.borderColor);
    ctx.lineWidth = border;
    if (radius > 0) {
      ctx.beginPath();
      ctx.roundRect(x + inset, y + inset, width - border, height - border, Math.max(0, radius - inset));
      ctx.stroke();
    } else ctx.strokeRect(x + inset, y + inset, width - border, height - border);
  }
}

/**
 * Draws one element onto a context whose transform maps logical to physical
 * pixels. A draw element's state (origin, clip, line styles) is saved and
 * restored around it; the others set every state they use.
 */
export function drawElement(ctx: SKRSContext2D, element: KeyedElement): void {
  ctx.globalAlpha = element.opacity ?? 1;
  switch (element.kind) {
    case 'text':
      drawText(ctx, textLayoutOf(element), element.x, element.y, element.color);
      break;
    case 'rect':
      drawRect(ctx, element);
      break;
    case 'image':
      drawImageBox(ctx, element);
      break;
    case 'draw':
      ctx.save();
      drawOps(ctx, element);
      ctx.restore();
      break;
  }
}
