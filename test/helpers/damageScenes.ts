import fc from 'fast-check';

/**
 * Random scenes and changes for the damage-tracking equality tests: rects,
 * text and draw elements (strokes with every join and cap) on a W×H
 * surface, reaching past its edges; keys from a small pool, so changes
 * replace, move and remove elements.
 */
export const W = 120;
export const H = 80;
const KEYS = ['a', 'b', 'c', 'd', 'e'];
const coord = (max: number) => fc.integer({ min: -30, max: max + 10 }).chain((v) => fc.constantFrom(v, v + 0.5, v + 0.3));
const color = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom(255, 128, 40))
  .map((c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`);
const size = (max: number) => fc.integer({ min: 1, max });

const rect = fc
  .record(
    {
      x: coord(W),
      y: coord(H),
      width: size(120),
      height: size(80),
      fill: color,
      cornerRadius: fc.constantFrom(0, 6),
      borderColor: color,
      borderWidth: fc.constantFrom(1, 3),
      opacity: fc.constantFrom(1, 0.6),
      z: fc.constantFrom(-1, 0, 1),
    },
    { requiredKeys: ['x', 'y', 'width', 'height', 'fill'] },
  )
  .map((r) => ({ op: 'setRect' as const, ...r }));

const text = fc
  .record(
    {
      text: fc.string({ minLength: 1, maxLength: 14, unit: fc.constantFrom(...'Wjgy 0123ÅéfQ|_'.split('')) }),
      x: coord(W),
      y: coord(H),
      fontSize: fc.integer({ min: 8, max: 40 }),
      color,
      fontStyle: fc.constantFrom('normal' as const, 'italic' as const),
      z: fc.constantFrom(-1, 0, 1),
    },
    { requiredKeys: ['text', 'x', 'y'] },
  )
  .map((t) => ({ op: 'setText' as const, ...t }));

const shape = fc.oneof(
  fc.record({
    type: fc.constant('line' as const),
    x1: coord(W),
    y1: coord(H),
    x2: coord(W),
    y2: coord(H),
    strokeWidth: fc.constantFrom(1, 4, 9),
    stroke: color,
    lineCap: fc.constantFrom('butt' as const, 'round' as const, 'square' as const),
  }),
  fc.record({
    type: fc.constant('polyline' as const),
    points: fc.array(coord(W), { minLength: 6, maxLength: 6 }),
    stroke: color,
    strokeWidth: fc.constantFrom(2, 6),
    lineJoin: fc.constantFrom('miter' as const, 'round' as const, 'bevel' as const),
    closed: fc.boolean(),
  }),
  fc.record({ type: fc.constant('ellipse' as const), cx: coord(W), cy: coord(H), rx: size(50), ry: size(40), fill: color }),
);
const draw = fc
  .record(
    { x: coord(W), y: coord(H), ops: fc.array(shape, { minLength: 1, maxLength: 3 }), width: size(150), z: fc.constantFrom(-1, 0, 1) },
    { requiredKeys: ['ops'] },
  )
  .map((d) => ({ op: 'setDraw' as const, ...d }));

const element = fc.oneof(rect, text, draw);
export const change = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...KEYS), element).map(([key, e]) => ({ ...e, key })) },
  { weight: 1, arbitrary: fc.constantFrom(...KEYS).map((key) => ({ op: 'removeElement' as const, key })) },
);
export type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

/**
 * The scene the changes leave, as set commands in the engine's order: a
 * replaced element keeps its place, one removed and set again goes last.
 */
export function finalScene(changes: Change[]): Change[] {
  // A Map keeps a re-set key in place and puts a deleted then set key last, as the scene does.
  const scene = new Map<string, Change>();
  for (const c of changes) {
    if (c.op === 'removeElement') scene.delete(c.key);
    else scene.set(c.key, c);
  }
  return [...scene.values()];
}
