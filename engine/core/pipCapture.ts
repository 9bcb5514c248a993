import type { EngineContext } from './context';
import type { Surface } from './surface';

/** Copies of a pip's source per second unless the client sets another rate. */
export const DEFAULT_CAPTURE_FPS = 30;

/**
 * When a pip copies its source next, or undefined when it does not: hidden,
 * or its source gone or minimized. Pips are live by copying at a steady rate
 * (a program's drawing raises no event); nothing is scheduled, and so no
 * timer runs, while no pip is visible with a source to show.
 */
export function nextCaptureAt(ctx: EngineContext, s: Surface): number | undefined {
  if (!s.pip || !s.visible || !ctx.platform.foreignWindowShown(s.pip.source)) return undefined;
  return s.presentedAt + 1000 / s.pip.fps;
}

/** Mark the pip for a new frame if its capture is due at `now`. */
export function markCaptureDue(ctx: EngineContext, s: Surface, now: number): void {
  const at = nextCaptureAt(ctx, s);
  if (at !== undefined && at <= now) s.needsPresent = true;
}
