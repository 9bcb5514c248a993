import { colorBytes, type Color, type Rgba } from '../../protocol';

export type { Rgba };

/**
 * The canvas form of a colour the schema accepted. Written as rgba() from
 * the shared parser rather than passed through, so the engine draws exactly
 * what the protocol validated; a/255 in full precision lands back on the
 * same byte inside Skia.
 */
export function cssColor(color: Color): string {
  const [r, g, b, a] = colorBytes(color);
  return `rgba(${r}, ${g}, ${b}, ${a / 255})`;
}
