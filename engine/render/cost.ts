import type { DrawElement, Paint, TextElement } from '../../protocol';
import type { KeyedElement } from '../core/scene';
import { decodedImage } from './images';
import { traceShape, type ShapeOp } from './drawOps';
import { Outline, svgOutline } from './outline';
import { DEFAULT_FONT_SIZE } from './text';

/**
 * The render cost model: what drawing an element costs Skia, estimated from
 * the element alone, in units of about a nanosecond on the reference machine
 * (2 cores, docs/reliability.md#render-cost-and-budgets). Each weight is the cost of the
 * worst case measured for its term (`npm run bench -- renderCost`), so the
 * estimate errs high: a surface within LIMITS.maxRenderCostPerSurface
 * renders within its budget whatever it draws.
 */
export const COST = {
  /** Per physical pixel of the surface: clearing, reading back, presenting (a new canvas after a resize). */
  pixel: 1,
  /** Per element: state saved and restored, paint set up. */
  element: 4_800,
  /** Per draw op. */
  op: 3_000,
  /** Per physical pixel a fill may cover (its bounds, clipped). */
  area: 1,
  /** Per line edge of a path: stroking, sorting and stepping it. */
  edge: 300,
  /** Per physical pixel row an edge crosses: the scanline walk, four sub-rows a row for anti-aliasing. */
  row: 100,
  /** Per edge and per other edge crossing the same row, on average (four sub-rows a row). */
  crowding: 4,
  /**
   * Per physical pixel of stroke area: (length + one width per edge) ×
   * width. Thin strokes cost Skia as much per length as STROKE_MIN_WIDTH
   * would (anti-aliased hairlines are drawn pixel by pixel).
   */
  stroke: 0.7,
  /**
   * A stroke's edges cost this share of a fill's: its outline is made of
   * short pieces (measured on scribbles, stars and crossing strokes against
   * filled self-crossing polygons). Rows and crowding cost the same.
   */
  strokeEdges: 0.35,
  /**
   * Per physical pixel of length of a stroke at most a pixel wide: Skia
   * draws it as a hairline, stepping pixel by pixel, however it crosses.
   */
  hairline: 130,
  /** Per character: shaping, measuring and drawing it. */
  char: 250,
  /** Per character of wrapped text: each line is measured several times while it is fitted. */
  wrappedChar: 1_200,
  /** The same for a character outside ASCII: shaping falls back through fonts (emoji, CJK). */
  wrappedWideChar: 3_000,
  /** Per line of text: fitted, measured and drawn on its own. */
  line: 20_000,
  /** Per physical pixel of a decoded image: turned into a drawable (premultiplied, in a canvas of its own) once per element. */
  imageSource: 9,
  /**
   * A gradient costs this many times a solid color per pixel, plus
   * `gradientStop` per stop (measured: 2 stops 4×, 64 stops 13× a solid
   * fill's time; solid fills take a third of their weight).
   */
  gradient: 1.5,
  gradientStop: 1 / 16,
} as const;

/** Physical stroke width below which a stroke costs as much per length as this one. */
const STROKE_MIN_WIDTH = 64;
/** Characters are drawn as paths beyond this physical size, cached as masks below it. */
const GLYPH_CACHE_SIZE = 64;
/** Advance of the widest common characters (CJK, emoji), in em: bounds how few fit a wrapped line. */
const WIDEST_CHAR = 1.2;

/** The box an element may draw in, in surface logical coordinates; its cost counts only what lies inside. */
export interface CostView {
  width: number;
  height: number;
  /** Physical pixels per logical pixel. */
  scale: number;
  /** Stop weighing past this cost (the estimate is then Infinity): what will be refused need not be weighed exactly. */
  cap?: number;
}

/** What the terms of one element add up to, before it is a single number. */
interface ElementCost {
  fixed: number;
  /** Physical pixels it may cover, weighted by paint. */
  area: number;
}

/** The cost of a surface's own pixels, whatever it draws. */
export function pixelsCost(physicalPixels: number): number {
  return physicalPixels * COST.pixel;
}

/** The area of a logical box inside `clip`, in physical pixels. */
function clippedArea(x0: number, y0: number, x1: number, y1: number, clip: Box, scale: number): number {
  const w = Math.min(x1, clip.x1) - Math.max(x0, clip.x0);
  const h = Math.min(y1, clip.y1) - Math.max(y0, clip.y0);
  return w > 0 && h > 0 ? w * h * scale * scale : 0;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** What a paint costs per pixel against a solid color's 1. */
function paintFactor(paint: Paint | undefined): number {
  if (paint === undefined) return 0;
  return typeof paint === 'string' ? 1 : COST.gradient + paint.stops.length * COST.gradientStop;
}

function outlineOf(op: ShapeOp): Outline {
  const o = new Outline();
  if (op.type === 'path' && op.d !== undefined) svgOutline(op.d, o);
  traceShape(op, o);
  return o;
}

/**
 * Cost of a shape op: a fill covers its bounds; a stroke costs its area.
 * Both cost their edges, the rows those edges cross, and how crowded the
 * rows are: Skia keeps the edges that cross a row sorted, so edges piled
 * into few rows (a scribble, a star) cost about edges × edges-per-row.
 */
function shapeCost(op: ShapeOp, clip: Box, scale: number, into: ElementCost): void {
  const o = outlineOf(op);
  const open = op.type === 'line' || op.type === 'arc' || (op.type === 'polyline' && !op.closed);
  const unpainted = op.fill === undefined && op.stroke === undefined;
  // Defaults as drawOps paints them: open figures stroked, closed ones filled.
  const fill = unpainted && !open ? 1 : paintFactor(op.fill);
  const stroke = unpainted && open ? 1 : paintFactor(op.stroke);
  const width = (op.strokeWidth ?? 1) * scale;
  const length = o.length * scale;
  const height = (o.maxY - o.minY) * scale;
  into.fixed += COST.op;
  if (fill > 0) {
    into.area += fill * clippedArea(o.minX, o.minY, o.maxX, o.maxY, clip, scale);
    into.fixed += edgesCost(o.edges, o.rows * scale, height);
  }
  if (stroke > 0 && width > 0) {
    const period = (op.dash ?? []).reduce((sum, d) => sum + d, 0) * scale;
    // Every dash is a piece of its own, with its own caps.
    const pieces = period > 0 ? Math.ceil(length / period) * op.dash!.length : 1;
    // A stroke's outline: two sides per edge, plus a fan of edges per join or cap when round.
    const sides = 2 * (o.edges + pieces);
    const fan = op.lineJoin === 'round' || op.lineCap === 'round' ? Math.ceil(width / 4) : 0;
    const rows = 2 * o.rows * scale + sides * width;
    into.fixed += COST.strokeEdges * COST.edge * (sides + fan * (o.edges + pieces)) + COST.row * rows + crowding(sides, rows, height + width);
    into.fixed +=
      width <= 1 ? stroke * COST.hairline * length : stroke * COST.stroke * (length + (o.edges + pieces) * width) * Math.max(width, STROKE_MIN_WIDTH);
  }
}

/** Edges, the rows they cross in all, over a height of `height` rows. */
function edgesCost(edges: number, rows: number, height: number): number {
  return COST.edge * edges + COST.row * rows + crowding(edges, rows, height);
}

/** What keeping the edges sorted costs: each edge against the others crossing its rows, on average. */
function crowding(edges: number, rows: number, height: number): number {
  return COST.crowding * edges * (rows / Math.max(1, height));
}

/**
 * Text costs its characters and its lines: wrapping measures each line
 * several times, and every line is drawn by a call of its own. A line holds
 * at least the characters that fit the wrap width at WIDEST_CHAR em each (a
 * wider character gets a line of its own). Larger than the glyph cache, every
 * character is drawn as a path. Characters cover at most a box of their
 * size each, and no more than the clip.
 */
function textCost(text: TextCostSpec, clip: Box, scale: number, into: ElementCost): void {
  const size = text.fontSize ?? DEFAULT_FONT_SIZE;
  const chars = text.text.length;
  const paragraphs = text.text.split('\n').length;
  const wraps = text.wrapWidth !== undefined && !text.ellipsis;
  const perLine = wraps ? Math.max(1, Math.floor(text.wrapWidth! / (WIDEST_CHAR * size))) : Infinity;
  const lines = text.ellipsis ? 1 : Math.min(chars + 1, paragraphs + Math.ceil(chars / perLine));
  const big = Math.max(1, (size * scale) / GLYPH_CACHE_SIZE);
  const perChar = wraps ? COST.wrappedChar * chars + (COST.wrappedWideChar - COST.wrappedChar) * nonAscii(text.text) : COST.char * chars;
  into.fixed += (perChar + lines * COST.line) * big;
  into.area += Math.min(chars * (size * scale) ** 2, clippedArea(-Infinity, -Infinity, Infinity, Infinity, clip, scale));
}

type TextCostSpec = Pick<TextElement, 'text' | 'fontSize' | 'wrapWidth' | 'ellipsis'>;

// Code units, as `chars` counts them: everything past ASCII.
const NON_ASCII = /[\u0080-\uffff]/g;

function nonAscii(text: string): number {
  return text.match(NON_ASCII)?.length ?? 0;
}

function imageCost(
  image: { x: number; y: number; width?: number | undefined; height?: number | undefined; data?: Uint8Array | undefined },
  clip: Box,
  scale: number,
  into: ElementCost,
): void {
  const decoded = decodedImage(image.data);
  if (!decoded) return;
  into.fixed += decoded.width * decoded.height * COST.imageSource;
  const width = image.width ?? decoded.width;
  const height = image.height ?? decoded.height;
  into.area += clippedArea(image.x, image.y, image.x + width, image.y + height, clip, scale);
}

function drawCost(element: DrawElement, view: CostView, into: ElementCost): void {
  const ox = element.x ?? 0;
  const oy = element.y ?? 0;
  // The view in the element's own coordinates, narrowed by its clip box.
  const clip: Box = {
    x0: Math.max(-ox, element.width === undefined ? -Infinity : 0),
    y0: Math.max(-oy, element.height === undefined ? -Infinity : 0),
    x1: Math.min(view.width - ox, element.width ?? Infinity),
    y1: Math.min(view.height - oy, element.height ?? Infinity),
  };
  const cap = view.cap ?? Infinity;
  for (const op of element.ops) {
    if (op.type === 'text') textCost(op, clip, view.scale, into);
    else if (op.type === 'image') imageCost(op, clip, view.scale, into);
    else shapeCost(op, clip, view.scale, into);
    if (into.fixed + into.area * COST.area > cap) {
      into.fixed = Infinity;
      return;
    }
  }
}

/** The cost of drawing `element` on a surface of `view`'s size and scale. */
export function elementCost(element: KeyedElement, view: CostView): number {
  const cost: ElementCost = { fixed: COST.element, area: 0 };
  const surface: Box = { x0: 0, y0: 0, x1: view.width, y1: view.height };
  switch (element.kind) {
    case 'text':
      textCost(element, surface, view.scale, cost);
      break;
    case 'rect': {
      const fill = element.fill ? 1 : 0;
      cost.area += fill * clippedArea(element.x, element.y, element.x + element.width, element.y + element.height, surface, view.scale);
      if (element.borderColor) {
        shapeCost(
          {
            type: 'rect',
            x: element.x,
            y: element.y,
            width: element.width,
            height: element.height,
            cornerRadius: element.cornerRadius,
            stroke: element.borderColor,
            strokeWidth: element.borderWidth ?? 1,
          },
          surface,
          view.scale,
          cost,
        );
      }
      break;
    }
    case 'image':
      imageCost(element, surface, view.scale, cost);
      break;
    case 'draw':
      drawCost(element, view, cost);
      break;
  }
  return cost.fixed + cost.area * COST.area;
}

/** Bytes of the decoded images an element draws (width × height × 4 each). */
export function elementImageBytes(element: KeyedElement): number {
  const sources = element.kind === 'image' ? [element] : element.kind === 'draw' ? element.ops.filter((op) => op.type === 'image') : [];
  let bytes = 0;
  for (const source of sources) {
    const decoded = decodedImage(source.data);
    if (decoded) bytes += decoded.width * decoded.height * 4;
  }
  return bytes;
}
