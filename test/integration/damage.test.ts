import fc from 'fast-check';
import type { Client, Hud } from '../../client';
import { sharedEngine } from '../helpers/engine';
import type { Pixels } from '../helpers/png';
import { screenshot } from '../helpers/screen';

/**
 * Damage tracking is safe only if redrawing what changed gives the very
 * bytes a full redraw gives. Random scenes get random changes, each change
 * presented on its own (a patch each); then the surface's pixels — what it
 * holds and what the screen shows — must equal those of a fresh surface
 * given the final scene at once (a full frame).
 */
const shared = sharedEngine(['--persistent', '--test-input', '--monitors', '400x160@96,560x200@144']);
let pp: Client;
beforeAll(() => ({ client: pp } = shared));

const W = 120;
const H = 80;
const KEYS = ['a', 'b', 'c', 'd', 'e'];

const coord = (max: number) => fc.integer({ min: -30, max: max + 10 }).chain((v) => fc.constantFrom(v, v + 0.5, v + 0.3));
const color = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom(255, 128, 40))
  .map((c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`);
const size = (max: number) => fc.integer({ min: 1, max });

const rect = fc.record(
  { x: coord(W), y: coord(H), width: size(120), height: size(80), fill: color, cornerRadius: fc.constantFrom(0, 6), borderColor: color, borderWidth: fc.constantFrom(1, 3), opacity: fc.constantFrom(1, 0.6), z: fc.constantFrom(-1, 0, 1) },
  { requiredKeys: ['x', 'y', 'width', 'height', 'fill'] },
).map((r) => ({ op: 'setRect' as const, ...r }));

const text = fc.record(
  { text: fc.string({ minLength: 1, maxLength: 14, unit: fc.constantFrom(...'Wjgy 0123ÅéfQ|_'.split('')) }), x: coord(W), y: coord(H), fontSize: fc.integer({ min: 8, max: 40 }), color, fontStyle: fc.constantFrom('normal' as const, 'italic' as const), z: fc.constantFrom(-1, 0, 1) },
  { requiredKeys: ['text', 'x', 'y'] },
).map((t) => ({ op: 'setText' as const, ...t }));

const shape = fc.oneof(
  fc.record({ type: fc.constant('line' as const), x1: coord(W), y1: coord(H), x2: coord(W), y2: coord(H), strokeWidth: fc.constantFrom(1, 4, 9), stroke: color, lineCap: fc.constantFrom('butt' as const, 'round' as const, 'square' as const) }),
  fc.record({ type: fc.constant('polyline' as const), points: fc.array(coord(W), { minLength: 6, maxLength: 6 }), stroke: color, strokeWidth: fc.constantFrom(2, 6), lineJoin: fc.constantFrom('miter' as const, 'round' as const, 'bevel' as const), closed: fc.boolean() }),
  fc.record({ type: fc.constant('ellipse' as const), cx: coord(W), cy: coord(H), rx: size(50), ry: size(40), fill: color }),
);
const draw = fc.record(
  { x: coord(W), y: coord(H), ops: fc.array(shape, { minLength: 1, maxLength: 3 }), width: size(150), z: fc.constantFrom(-1, 0, 1) },
  { requiredKeys: ['ops'] },
).map((d) => ({ op: 'setDraw' as const, ...d }));

const element = fc.oneof(rect, text, draw);
const change = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...KEYS), element).map(([key, e]) => ({ ...e, key })) },
  { weight: 1, arbitrary: fc.constantFrom(...KEYS).map((key) => ({ op: 'removeElement' as const, key })) },
);
type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

function apply(hud: Hud, c: Change): void {
  const { op, key, ...fields } = c;
  if (op === 'removeElement') hud.removeElement(key);
  else if (op === 'setRect') hud.setRect(key, fields as Parameters<Hud['setRect']>[1]);
  else if (op === 'setText') hud.setText(key, fields as Parameters<Hud['setText']>[1]);
  else hud.setDraw(key, fields as Parameters<Hud['setDraw']>[1]);
}

/** The scene the changes leave: the last change of each key, in the order keys were first set (a replaced element keeps its place). */
function finalScene(changes: Change[]): Change[] {
  const scene = new Map<string, Change>();
  for (const c of changes) {
    if (c.op === 'removeElement') scene.delete(c.key);
    else scene.set(c.key, c);
  }
  return [...scene.values()];
}

function region(shot: Pixels, x: number, y: number, width: number, height: number): number[] {
  const out: number[] = [];
  for (let row = y; row < y + height; row++) for (let col = x; col < x + width; col++) out.push(...shot.at(col, row));
  return out;
}

async function pixelsPresented(): Promise<number> {
  return (await pp.status()).stats.pixelsPresented;
}

describe.each([
  ['at 96 dpi', 0],
  ['at 144 dpi', 1],
])('damage tracking %s', (_name, monitor) => {
  it('updates pixels byte for byte as a full redraw of the final scene draws them', async () => {
    const { bounds, physicalBounds, scale } = (await pp.monitors())[monitor]!;
    const physical = { width: Math.round(W * scale), height: Math.round(H * scale) };
    let partial = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 6 }), fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }), async (initial, steps) => {
        const updated = await pp.createHud({ width: W, height: H, placement: { x: bounds.x, y: bounds.y } });
        const fresh = await pp.createHud({ width: W, height: H, placement: { x: bounds.x + 2 * W, y: bounds.y } });
        try {
          for (const c of initial) apply(updated, c);
          updated.show();
          await pp.sync();
          for (const step of steps) {
            for (const c of step) apply(updated, c);
            const before = await pixelsPresented();
            await pp.sync();
            if ((await pixelsPresented()) - before < physical.width * physical.height) partial++;
          }
          const changes = [...initial, ...steps.flat()];
          // A key removed and set again goes to the end, as in the engine's scene.
          const order = orderOf(changes);
          for (const c of finalScene(changes).sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key))) apply(fresh, c);
          fresh.show();
          await pp.sync();
          const [a, b] = await Promise.all([updated.snapshot(), fresh.snapshot()]);
          expect(Buffer.from(a.png).equals(Buffer.from(b.png))).toBe(true);
          const shot = await screenshot(pp);
          const { x, y } = physicalBounds;
          expect(region(shot, x, y, physical.width, physical.height)).toEqual(region(shot, x + Math.round(2 * W * scale), y, physical.width, physical.height));
        } finally {
          updated.destroy();
          fresh.destroy();
        }
      }),
      { numRuns: 20 },
    );
    // Most changes were presented as patches: the damage path is what was checked.
    expect(partial).toBeGreaterThan(10);
  }, 120_000);
});

/** Where each key sits in the final scene's insertion order: a key removed and set again moves to the end. */
function orderOf(changes: Change[]): string[] {
  const order: string[] = [];
  for (const c of changes) {
    const at = order.indexOf(c.key);
    if (c.op === 'removeElement') {
      if (at >= 0) order.splice(at, 1);
    } else if (at < 0) order.push(c.key);
  }
  return order;
}
