import type { Frame, FrameUpdate } from '../platform/platform';
import type { EngineContext } from './context';
import { scaleAt, toPhysical } from './geometry';
import type { Surface } from './surface';

/** The pixels a surface shows now: its rendered scene, or for a pip its source's pixels. */
export function surfaceFrame(ctx: EngineContext, s: Surface): Frame {
  const monitors = ctx.monitors();
  if (s.pip) {
    const physical = toPhysical(monitors, s.bounds);
    const source = ctx.platform.captureForeignWindow(s.pip.source);
    if (!source) return { width: physical.width, height: physical.height, pixels: new Uint8Array(physical.width * physical.height * 4) };
    // The region is in the source window's own pixels, as with DWM thumbnails.
    return ctx.renderer.cropAndScale(source, s.pip.region, physical.width, physical.height);
  }
  return ctx.renderer.render(s.scene!, s.bounds.width, s.bounds.height, scaleAt(monitors, s.bounds));
}

/**
 * What a surface's window needs now: the pixels its scene's changes
 * damaged, or all of them after a resize, a DPI or display change, or for a
 * pip; null when nothing on it changed.
 */
export function surfaceUpdate(ctx: EngineContext, s: Surface): FrameUpdate | null {
  if (s.pip) return { frame: surfaceFrame(ctx, s), at: null };
  return ctx.renderer.renderChanges(s.scene!, s.bounds.width, s.bounds.height, scaleAt(ctx.monitors(), s.bounds), s.needsPresent);
}
