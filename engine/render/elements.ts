import type { SKRSContext2D } from '@napi-rs/canvas';
import type { RectElement } from '../../protocol';
import type { KeyedElement } from '../core/scene';
import { cssColor } from './colors';
import { drawOps } from './drawOps';
import { drawImageBox } from './images';
import { drawText, textLayoutOf } from './text';

/** Fill, then a border drawn inside the bounds so nothing spills past the rect. */
function drawRect(ctx: SKRSContext2D, rect: RectElement): void {
  const { x, y, width, height } = rect;
  const radius = Math.min(rect.cornerRadius ?? 0, width / 2, height / 2);
  if (rect.fill) {
    ctx.fillStyle = cssColor(rect.fill);
    ctx.beginPath();
    ctx.roundRect(x, y, width, height, radius);
    ctx.fill();
  }
  const border = Math.min(rect.borderWidth ?? 1, width / 2, height / 2);
  if (rect.borderColor && border > 0) {
    // A stroke straddles its path, so the path runs half a border inside the edge.
    const inset = border / 2;
    ctx.strokeStyle = cssColor(rect.borderColor);
    ctx.lineWidth = border;
    ctx.beginPath();
    ctx.roundRect(x + inset, y + inset, width - border, height - border, Math.max(0, radius - inset));
    ctx.stroke();
  }
}

/** Draws one element onto a context whose transform maps logical to physical pixels; restores nothing. */
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
      drawOps(ctx, element);
      break;
  }
}
