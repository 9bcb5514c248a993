import { z } from 'zod';
import { isColor } from './color';
import { LIMITS, overLimit } from './limits';

/** Engine-assigned id of a HUD, panel or pip (`s1`, `s2`, …) or a tray (`t1`, …). */
export const SurfaceId = z.string().regex(/^[st][1-9][0-9]{0,9}$/, 'a surface id such as "s1" or "t1"');
export type SurfaceId = z.infer<typeof SurfaceId>;

/** A CSS colour: a name (`red`), `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`, `rgba()`, `hsl()` or `hsla()`. */
export const Color = z.string().refine(isColor, 'a CSS colour: a name such as "red", #rgb, #rgba, #rrggbb, #rrggbbaa, rgb(), rgba(), hsl() or hsla()');
export type Color = z.infer<typeof Color>;

/** A finite logical coordinate; generous bounds keep arithmetic safe. */
export const Coord = z.number().finite().min(-1e6).max(1e6);
export const Length = z.number().finite().min(0).max(1e6);
export const Opacity = z.number().finite().min(0).max(1);
export const DurationMs = z.number().int().min(0).max(60_000);

export const SurfaceSide = z.number().int().min(1).max(LIMITS.maxSurfaceSide, overLimit('maxSurfaceSide'));

export const Text = z.string().max(LIMITS.maxTextLength, overLimit('maxTextLength'));

/** Bytes on the wire (msgpack bin). */
export const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'binary data (Uint8Array)');

/** Encoded PNG, JPEG or BMP bytes. */
export const ImageBytes = Bytes.refine((b) => b.byteLength <= LIMITS.maxImageBytes, overLimit('maxImageBytes'));

/** Nine anchor points of a rectangle. */
export const Anchor = z.enum(['topLeft', 'topCenter', 'topRight', 'centerLeft', 'center', 'centerRight', 'bottomLeft', 'bottomCenter', 'bottomRight']);
export type Anchor = z.infer<typeof Anchor>;

export const Rect = z.object({ x: Coord, y: Coord, width: Length, height: Length });
export type Rect = z.infer<typeof Rect>;

/** A foreign window: an HWND on Windows, a virtual window id on headless. */
export const WindowRef = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export type WindowRef = z.infer<typeof WindowRef>;
