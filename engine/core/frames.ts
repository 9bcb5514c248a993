import type { Frame } from '../platform/platform';
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
