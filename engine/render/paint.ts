import type { SKRSContext2D } from '@napi-rs/canvas';
import type { Paint } from '../../protocol';
import { cssColor } from './colors';

type Gradient = Exclude<Paint, string>;
/** The package does not export its gradient type. */
type CanvasGradient = ReturnType<SKRSContext2D['createLinearGradient']>;

/** Gradients by the paint object they were made for: a scene redrawn every frame builds each once. */
const gradients = new WeakMap<Gradient, CanvasGradient>();

/**
 * The canvas fill/stroke style for a Paint. Gradient coordinates are in the
 * draw element's space; the canvas applies the transform current at fill time.
 */
export function canvasPaint(ctx: SKRSContext2D, paint: Paint): string | CanvasGradient {
  if (typeof paint === 'string') return cssColor(paint);
  let gradient = gradients.get(paint);
  if (!gradient) {
    gradient =
      paint.type === 'linearGradient'
        ? ctx.createLinearGradient(paint.x0, paint.y0, paint.x1, paint.y1)
        : ctx.createRadialGradient(paint.x0, paint.y0, paint.r0, paint.x1, paint.y1, paint.r1);
    for (const stop of paint.stops) gradient.addColorStop(stop.offset, cssColor(stop.color));
    gradients.set(paint, gradient);
  }
  return gradient;
}
