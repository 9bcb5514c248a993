import { colord, extend } from 'colord';
import namesPlugin from 'colord/plugins/names';

// CSS colour names ("red", "rebeccapurple", "transparent") are a plugin of colord's.
extend([namesPlugin]);

/** Straight (not premultiplied) RGBA bytes. */
export type Rgba = [r: number, g: number, b: number, a: number];

/** Longest colour text accepted: room for `hsla(…)` with spaces and decimals, not for a novel. */
export const MAX_COLOR_LENGTH = 64;

/** Parsed colours by their text; apps repeat a handful of colours, so a small map covers them. */
const parsed = new Map<string, Rgba | null>();
const PARSED_KEPT = 512;

/**
 * A CSS colour (a name, `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`,
 * `rgba()`, `hsl()`, `hsla()`) → straight RGBA bytes, or null if it is not
 * one. The one parser of colours: the schema accepts what this accepts, and
 * the engine draws what this returns.
 */
export function parseColor(text: string): Rgba | null {
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const rgba = text.length <= MAX_COLOR_LENGTH ? toBytes(text) : null;
  if (parsed.size >= PARSED_KEPT) parsed.clear();
  parsed.set(text, rgba);
  return rgba;
}

function toBytes(text: string): Rgba | null {
  const c = colord(text);
  if (!c.isValid()) return null;
  const { r, g, b, a } = c.rgba;
  return [r, g, b, Math.round(a * 255)];
}

/** The bytes of a colour the schema accepted (transparent for anything else, which validation keeps out). */
export function colorBytes(color: string): Rgba {
  return parseColor(color) ?? [0, 0, 0, 0];
}

export function isColor(value: string): boolean {
  return parseColor(value) !== null;
}
