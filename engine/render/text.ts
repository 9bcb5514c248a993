import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { TextElement, TextStyle } from '../../protocol';
import { BoundedCache } from './boundedCache';
import { cssColor } from './colors';
import { fontFamilyList } from './fonts';

export const DEFAULT_FONT_SIZE = 14;
const DEFAULT_LINE_HEIGHT = 1.25;
const DEFAULT_TEXT_COLOR = '#ffffff';
const ELLIPSIS = '…';
/**
 * Room kept between measured ink and the box's top and bottom: the canvas
 * reports ink bounds rounded to whole pixels, and Skia snaps baselines to
 * device pixels, each good for up to half a pixel.
 */
const INK_MARGIN = 1;

type Align = NonNullable<TextElement['align']>;

/** What is laid out: a text element, a draw `text` op, or a measureText query. */
export type TextSpec = TextStyle & { text: string; align?: Align; ellipsis?: boolean };

/**
 * Lines placed relative to the text's (x, y). Every glyph pixel lies inside
 * [left, left + width] × [0, height], which is what measureText reports and
 * what hit testing uses.
 */
export interface TextLayout {
  font: string;
  /** Pen position of each line: `dx` from x, `baseline` from y. */
  lines: { text: string; dx: number; baseline: number }[];
  left: number;
  width: number;
  height: number;
}

/**
 * User-perceived characters, near enough, for cutting text: a base with its
 * combining marks, emoji modifiers and ZWJ-joined parts, or a flag's pair of
 * regional indicators. (Intl.Segmenter is exact but costs about 6 µs a
 * character on Node 20: 100 ms for a maximal text.)
 */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: with the u flag each \u{...} in the class is one code point, as meant.
const GRAPHEME = /[\u{1F1E6}-\u{1F1FF}]{2}|\P{M}(?:[\p{M}\u{FE0F}\u{1F3FB}-\u{1F3FF}]|\u200D\P{M})*|\p{M}+/gu;

function graphemesOf(text: string): string[] {
  return text.match(GRAPHEME) ?? [];
}

/** Measuring needs a context but no pixels; one tiny canvas serves every layout. */
const measurer = createCanvas(1, 1).getContext('2d');
const fontMetrics = new BoundedCache<string, { ascent: number; descent: number }>(256);

function cssFont(style: TextStyle): string {
  const italic = style.fontStyle === 'italic' ? 'italic ' : '';
  return `${italic}${style.fontWeight ?? 'normal'} ${style.fontSize ?? DEFAULT_FONT_SIZE}px ${fontFamilyList(style.fontFamily)}`;
}

/** Ascent and descent of the face itself, so line boxes do not jump with the glyphs a line happens to contain. */
function metricsOf(font: string): { ascent: number; descent: number } {
  let metrics = fontMetrics.get(font);
  if (!metrics) {
    measurer.font = font;
    // Any non-empty text reports the face's metrics; an empty string reports zeros.
    const m = measurer.measureText('H');
    metrics = { ascent: m.fontBoundingBoxAscent, descent: m.fontBoundingBoxDescent };
    fontMetrics.set(font, metrics);
  }
  return metrics;
}

/**
 * Ink-safe extent of one line: glyphs may overhang their advance on either
 * side (italics, a 'j'), so a line is drawn `shift` to the right and counts
 * as wide as its ink or its advance, whichever is wider. `ascent`/`descent`
 * are the ink's, from the baseline.
 */
function lineExtent(text: string): { shift: number; width: number; ascent: number; descent: number } {
  // Blank lines are common (paragraph breaks) and a measurement costs ~20 µs.
  if (!text) return { shift: 0, width: 0, ascent: 0, descent: 0 };
  const m = measurer.measureText(text);
  const shift = Math.max(0, m.actualBoundingBoxLeft);
  return {
    shift,
    width: shift + Math.max(m.width, m.actualBoundingBoxRight),
    ascent: m.actualBoundingBoxAscent,
    descent: m.actualBoundingBoxDescent,
  };
}

/**
 * The largest n in [min, count] whose text `textOf(n)` fits in maxWidth
 * (min when none does). Gallops up from min, then bisects, so the work grows
 * with the line that fits rather than with the whole text: a 16k-character
 * text must not cost one measurement of everything per line.
 */
function fitting(count: number, textOf: (n: number) => string, maxWidth: number, min: number): number {
  const fits = (n: number): boolean => lineExtent(textOf(n)).width <= maxWidth;
  let lo = min;
  let hi = lo;
  for (let step = 1; hi < count; step *= 2) {
    hi = Math.min(count, lo + step);
    if (!fits(hi)) break;
    lo = hi;
  }
  // Here lo fits (or is min) and, unless lo === count, hi does not.
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Greedy word wrap; a word wider than a whole line is broken between characters. */
function wrapParagraph(paragraph: string, maxWidth: number): string[] {
  const words = paragraph.split(' ');
  const lines: string[] = [];
  for (let i = 0; i < words.length; ) {
    const n = fitting(words.length - i, (k) => words.slice(i, i + k).join(' '), maxWidth, 0);
    if (n > 0) {
      lines.push(words.slice(i, i + n).join(' '));
      i += n;
      continue;
    }
    const chars = graphemesOf(words[i]!);
    if (chars.length === 1) {
      // One character wider than the line: it overflows on a line of its own.
      lines.push(words[i++]!);
      continue;
    }
    // Full lines of the word's characters; its tail stays, to share a line with the next words.
    let start = 0;
    for (;;) {
      const m = fitting(chars.length - start, (k) => chars.slice(start, start + k).join(''), maxWidth, 1);
      if (start + m === chars.length) break;
      lines.push(chars.slice(start, start + m).join(''));
      start += m;
    }
    words[i] = chars.slice(start).join('');
  }
  return lines;
}

/** One line ending in "…" when the text is cut: wider than maxWidth, or more than one line. */
function ellipsize(text: string, maxWidth: number): string {
  const newline = text.indexOf('\n');
  const first = newline < 0 ? text : text.slice(0, newline);
  if (newline < 0 && lineExtent(first).width <= maxWidth) return first;
  if (lineExtent(ELLIPSIS).width > maxWidth) return '';
  const chars = graphemesOf(first);
  const cut = (n: number): string => chars.slice(0, n).join('').trimEnd() + ELLIPSIS;
  return cut(fitting(chars.length, cut, maxWidth, 0));
}

export function layoutText(spec: TextSpec): TextLayout {
  const font = cssFont(spec);
  measurer.font = font;
  const { wrapWidth } = spec;
  const texts =
    wrapWidth === undefined
      ? spec.text.split('\n')
      : spec.ellipsis
        ? [ellipsize(spec.text, wrapWidth)]
        : spec.text.split('\n').flatMap((p) => wrapParagraph(p, wrapWidth));

  const extents = texts.map(lineExtent);
  const width = Math.max(...extents.map((e) => e.width));
  const fontSize = spec.fontSize ?? DEFAULT_FONT_SIZE;
  const lineHeight = fontSize * (spec.lineHeight ?? DEFAULT_LINE_HEIGHT);
  const { ascent, descent } = metricsOf(font);
  // CSS line model: the leading is split evenly above and below the face's ascent and descent.
  const baselines = texts.map((_, i) => (lineHeight - ascent - descent) / 2 + ascent + i * lineHeight);
  // Ink taller than the face (stacked accents) or a tight lineHeight would poke
  // out of the line boxes: the text moves down and the box grows to keep it.
  const down = Math.max(0, ...extents.map((e, i) => e.ascent + INK_MARGIN - baselines[i]!));
  const height = Math.max(texts.length * lineHeight, ...extents.map((e, i) => baselines[i]! + down + e.descent + INK_MARGIN));

  // With wrapWidth, alignment is within [x, x + wrapWidth]; without, the text is anchored at x.
  const align = spec.align ?? 'left';
  const box = wrapWidth ?? 0;
  const offset = (w: number): number => (align === 'left' ? 0 : align === 'center' ? (box - w) / 2 : box - w);

  return {
    font,
    lines: texts.map((text, i) => ({
      text,
      dx: offset(extents[i]!.width) + extents[i]!.shift,
      baseline: baselines[i]! + down,
    })),
    left: offset(width),
    width,
    height,
  };
}

/** Layouts by the element or op they were made for: elements are replaced, never mutated, so identity is a safe key. */
const layouts = new WeakMap<TextSpec, TextLayout>();

export function textLayoutOf(spec: TextSpec): TextLayout {
  let layout = layouts.get(spec);
  if (!layout) {
    layout = layoutText(spec);
    layouts.set(spec, layout);
  }
  return layout;
}

export function drawText(ctx: SKRSContext2D, layout: TextLayout, x: number, y: number, color: string | undefined): void {
  ctx.font = layout.font;
  ctx.fillStyle = cssColor(color ?? DEFAULT_TEXT_COLOR);
  for (const line of layout.lines) if (line.text) ctx.fillText(line.text, x + line.dx, y + line.baseline);
}
