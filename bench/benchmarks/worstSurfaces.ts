import { LIMITS, type DrawOp, type Element } from '../../protocol';
import { elementCost, pixelsCost } from '../../engine/render/cost';
import { attachDecoded } from '../../engine/render/images';

/**
 * The most expensive surfaces the limits allow, one per way of spending the
 * render budget: each is a pattern grown (by `n`) until one more step would
 * cost more than LIMITS.maxRenderCostPerSurface. Shared by the render-cost
 * benchmark, which times them, and the tests, whose hostile client sends
 * them. Patterns are deterministic.
 */
export interface WorstSurface {
  name: string;
  /** Logical size (scale 1). */
  width: number;
  height: number;
  /** The scene for size `n` (keys are added by the caller). */
  elements(n: number): Element[];
  /** Largest `n` the other limits allow. */
  maxN: number;
}

/** Pseudo-random numbers in [0, 1) from a fixed seed. */
function random(seed = 1): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

const MAX_POINTS = LIMITS.maxDrawOps;
const SIDE = 1024;

/** A draw element of one polyline of `n` points laid out by `at(i)`, stroked. */
function polyline(n: number, at: (i: number) => [number, number], style: Partial<Extract<DrawOp, { type: 'polyline' }>>): Element {
  const points: number[] = [];
  for (let i = 0; i < n; i++) points.push(...at(i));
  return { kind: 'draw', ops: [{ type: 'polyline', points, ...style }] };
}

/** Polylines of MAX_POINTS points each, as many as `n` points need: a pattern bigger than one op allows. */
function polylines(n: number, at: (i: number) => [number, number], style: Partial<Extract<DrawOp, { type: 'polyline' }>>): Element[] {
  const out: Element[] = [];
  for (let done = 0; done < n; done += MAX_POINTS) out.push(polyline(Math.min(MAX_POINTS, n - done), (i) => at(done + i), style));
  return out;
}

function stroked(name: string, at: (rnd: () => number, i: number) => [number, number], style: Partial<Extract<DrawOp, { type: 'polyline' }>>): WorstSurface {
  return {
    name,
    width: SIDE,
    height: SIDE,
    maxN: MAX_POINTS * 64,
    elements: (n) => {
      const rnd = random();
      return polylines(n, (i) => at(rnd, i), style);
    },
  };
}

const TEXT = 'the quick brown fox jumps over the lazy dog ';

/** Text of `n` characters in all. */
function textCase(name: string, elements: (n: number) => Element[], maxN = LIMITS.maxTextLength): WorstSurface {
  return { name, width: SIDE, height: SIDE, maxN, elements };
}

/** Bytes standing for a decoded image 4096 wide and `rows` high, its pixels attached as the main thread would. */
function image(rows: number): Uint8Array {
  const data = new Uint8Array(8);
  attachDecoded(data, { width: 4096, height: rows, rgba: new Uint8ClampedArray(4096 * rows * 4).fill(200) });
  return data;
}

export const WORST_SURFACES: WorstSurface[] = [
  { name: 'blank, largest surface', width: 4096, height: 2048, maxN: 1, elements: () => [] },
  {
    name: 'small rects, as many as allowed',
    width: SIDE,
    height: SIDE,
    maxN: LIMITS.maxElementsPerSurface,
    elements: (n) => Array.from({ length: n }, (_, i) => ({ kind: 'rect', x: i % SIDE, y: (i * 7) % SIDE, width: 2, height: 2, fill: '#ff000080' })),
  },
  {
    name: 'translucent full-surface rects, largest surface',
    width: 4096,
    height: 2048,
    maxN: LIMITS.maxElementsPerSurface,
    elements: (n) =>
      Array.from({ length: n }, () => ({
        kind: 'rect',
        x: 0,
        y: 0,
        width: 4096,
        height: 2048,
        fill: '#ff000080',
        cornerRadius: 40,
        borderColor: '#00ff00',
        borderWidth: 8,
      })),
  },
  {
    name: 'radial gradients, 64 stops, full surface',
    width: SIDE,
    height: SIDE,
    maxN: LIMITS.maxDrawOps,
    elements: (n) => {
      const stops = Array.from({ length: 64 }, (_, i) => ({ offset: i / 63, color: i % 2 ? '#ff0000aa' : '#0000ffaa' }));
      const fill = { type: 'radialGradient' as const, x0: SIDE / 2, y0: SIDE / 2, r0: 0, x1: SIDE / 2, y1: SIDE / 2, r1: SIDE, stops };
      return [{ kind: 'draw', ops: Array.from({ length: n }, () => ({ type: 'rect' as const, x: 0, y: 0, width: SIDE, height: SIDE, fill })) }];
    },
  },
  {
    name: 'linear gradients, 2 stops, full surface',
    width: 2048,
    height: 2048,
    maxN: LIMITS.maxDrawOps,
    elements: (n) => {
      const fill = {
        type: 'linearGradient' as const,
        x0: 0,
        y0: 0,
        x1: 2048,
        y1: 2048,
        stops: [
          { offset: 0, color: '#ff000080' },
          { offset: 1, color: '#0000ff80' },
        ],
      };
      return [{ kind: 'draw', ops: Array.from({ length: n }, () => ({ type: 'rect' as const, x: 0, y: 0, width: 2048, height: 2048, fill })) }];
    },
  },
  stroked('hairlines across the surface (zigzag)', (_r, i) => [(i * 0.37) % SIDE, (i % 2) * SIDE], { strokeWidth: 1 }),
  stroked('hairlines crossing each other', (r, i) => [(i % 2) * SIDE, r() * SIDE], { strokeWidth: 1 }),
  stroked('thin strokes (1.5 wide) crossing each other', (r, i) => [(i % 2) * SIDE, r() * SIDE], { strokeWidth: 1.5 }),
  stroked('random 40-wide round-joined strokes', (r) => [r() * SIDE, r() * SIDE], { strokeWidth: 40, lineJoin: 'round' }),
  stroked('scribble: tiny segments, 10 wide, round joins', (r) => [SIDE / 2 + (r() - 0.5) * 4, SIDE / 2 + (r() - 0.5) * 4], {
    strokeWidth: 10,
    lineJoin: 'round',
  }),
  stroked('scribble: tiny segments, 40 wide, round joins', (r) => [SIDE / 2 + (r() - 0.5) * 4, SIDE / 2 + (r() - 0.5) * 4], {
    strokeWidth: 40,
    lineJoin: 'round',
  }),
  stroked(
    'star: every segment through one point, 10 wide',
    (_r, i) => {
      const a = (i * 2.39996) % (2 * Math.PI);
      const s = i % 2 ? 31 : -31;
      return [SIDE / 2 + s * Math.cos(a), SIDE / 2 + s * Math.sin(a)];
    },
    { strokeWidth: 10, lineJoin: 'round' },
  ),
  stroked('dashed hairlines, finest dash', (_r, i) => [(i * 0.37) % SIDE, (i % 2) * SIDE], { strokeWidth: 1, dash: [0.5, 0.5] }),
  stroked('filled self-crossing polygon', (r, i) => [(i % 2) * SIDE, r() * SIDE], { fill: '#ff0000', closed: true }),
  {
    name: 'stroked circles, 40 wide',
    width: SIDE,
    height: SIDE,
    maxN: LIMITS.maxDrawOps,
    elements: (n) => [
      {
        kind: 'draw',
        ops: Array.from({ length: n }, (_, i) => ({
          type: 'ellipse' as const,
          cx: 512,
          cy: 512,
          rx: 500,
          ry: 500 - (i % 1000) * 0.4,
          stroke: '#ffffff',
          strokeWidth: 40,
        })),
      },
    ],
  },
  {
    name: 'SVG arcs in path data',
    width: SIDE,
    height: SIDE,
    maxN: 1400,
    elements: (n) => [{ kind: 'draw', ops: [{ type: 'path', d: `M512 512${' a400 300 0 1 1 10 10'.repeat(n)}`, stroke: '#ffffff', strokeWidth: 4 }] }],
  },
  {
    name: 'largest image, scaled to the surface',
    width: SIDE,
    height: SIDE,
    maxN: LIMITS.maxPixelsPerSurface / 4096,
    elements: (n) => [{ kind: 'image', x: 0, y: 0, width: SIDE, height: SIDE, data: image(n) }],
  },
  textCase('wrapped text, narrow lines', (n) => [{ kind: 'text', text: TEXT.repeat(400).slice(0, n), x: 0, y: 0, wrapWidth: 50 }]),
  textCase('wrapped text, a character a line', (n) => [{ kind: 'text', text: TEXT.repeat(400).slice(0, n), x: 0, y: 0, wrapWidth: 5 }]),
  textCase('wrapped emoji', (n) => [{ kind: 'text', text: '👍🏽 '.repeat(4096).slice(0, n), x: 0, y: 0, wrapWidth: 300 }]),
  textCase(
    'texts of 1,024 characters, wrapped',
    (n) =>
      Array.from({ length: Math.ceil(n / 1024) }, (_, i) => ({
        kind: 'text',
        text: TEXT.repeat(30).slice(i % 40, (i % 40) + 1024),
        x: 0,
        y: i,
        wrapWidth: 300,
      })),
    LIMITS.maxElementsPerSurface * 1024,
  ),
  textCase(
    'longest texts, unwrapped',
    (n) =>
      Array.from({ length: Math.ceil(n / LIMITS.maxTextLength) }, (_, i) => ({
        kind: 'text',
        text: TEXT.repeat(400).slice(i % 40, (i % 40) + LIMITS.maxTextLength),
        x: 0,
        y: i,
      })),
    LIMITS.maxElementsPerSurface * LIMITS.maxTextLength,
  ),
  {
    name: 'large glyphs',
    width: SIDE,
    height: SIDE,
    maxN: LIMITS.maxTextLength,
    elements: (n) => [{ kind: 'text', text: TEXT.repeat(400).slice(0, n), x: 0, y: 0, fontSize: 400, wrapWidth: SIDE }],
  },
];

/** The render cost the engine estimates for `elements` on a `width`×`height` surface at scale 1. */
export function surfaceCost(width: number, height: number, elements: readonly Element[]): number {
  let cost = pixelsCost(width * height);
  for (const [i, e] of elements.entries()) cost += elementCost({ ...e, key: `e${i}` }, { width, height, scale: 1 });
  return cost;
}

/** The largest n whose scene fits the budget (0 if none does). */
export function largestAllowed(w: WorstSurface): number {
  const fits = (n: number): boolean => surfaceCost(w.width, w.height, w.elements(n)) <= LIMITS.maxRenderCostPerSurface;
  if (fits(w.maxN)) return w.maxN;
  let lo = 0;
  let hi = w.maxN;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
