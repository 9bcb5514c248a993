import { PanepipeError, type TrayIcon } from '../../../protocol';
import type { TraySpec } from '../../platform/platform';
import type { EngineContext } from '../context';

/** The platform's view of a tray: decoded RGBA icon. Throws imageError on a bad icon. */
export function toTraySpec(ctx: EngineContext, tooltip: string, icon: TrayIcon | null): TraySpec {
  if (!icon) return { tooltip, icon: null };
  if ('rgba' in icon) {
    if (icon.rgba.byteLength !== icon.width * icon.height * 4) {
      throw new PanepipeError('imageError', `tray icon: rgba has ${icon.rgba.byteLength} bytes, expected ${icon.width}×${icon.height}×4`);
    }
    return { tooltip, icon: { width: icon.width, height: icon.height, rgba: icon.rgba } };
  }
  const pixels = ctx.renderer.imagePixels(icon.data);
  if (!pixels) throw new PanepipeError('imageError', 'tray icon: the image was not decoded');
  return { tooltip, icon: pixels };
}
