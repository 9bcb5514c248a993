import type { Color } from '../../protocol';

/** Straight (not premultiplied) RGBA bytes. */
export type Rgba = [r: number, g: number, b: number, a: number];

/** `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa` (already validated by the schema) → straight RGBA bytes. */
export function parseColor(color: Color): Rgba {
  const hex = color.slice(1);
  // Short forms repeat each digit: #f80 is #ff8800, and #f808's alpha is 0x88.
  const full = hex.length <= 4 ? hex.replace(/./g, '$&$&') : hex;
  const value = (at: number): number => parseInt(full.slice(at, at + 2), 16);
  return [value(0), value(2), value(4), full.length === 8 ? value(6) : 255];
}

/**
 * The canvas form of a color. Written as rgba() rather than passed through as
 * hex so the alpha digits are never at the mercy of the CSS parser; a/255 in
 * full precision lands back on the same byte inside Skia.
 */
export function cssColor(color: Color): string {
  const [r, g, b, a] = parseColor(color);
  return `rgba(${r}, ${g}, ${b}, ${a / 255})`;
}
