import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { CommandSchemas, LIMITS, OP_NAMES, type OpName } from '../../protocol';
import { compileFastCheck } from '../../protocol/fastCheck';

const png = new Uint8Array([137, 80, 78, 71]);

/** One well-formed command per op, with many optional fields set; the type makes a new op add its own. */
const SAMPLES: Record<OpName, Record<string, unknown>> = {
  createHud: { width: 300, height: 40, placement: { anchor: 'topRight', margin: 8, monitor: 0 }, positionKey: 'clock', opacity: 0.9 },
  createPanel: { width: 200, height: 100, placement: { x: -5, y: 10 }, draggable: true, dragHeight: 20 },
  createPip: { width: 320, height: 180, sourceWindow: 7, sourceRegion: { x: 0, y: 0, width: 100, height: 50 } },
  createTray: { tooltip: 'hi', icon: { rgba: new Uint8Array(16), width: 2, height: 2 } },
  setText: {
    surface: 's1',
    key: 'k',
    text: 'héllo',
    x: 1.5,
    y: 2,
    fontSize: 18,
    fontWeight: 700,
    color: '#fff',
    align: 'center',
    wrapWidth: 100,
    ellipsis: true,
    z: 3,
  },
  setRect: {
    surface: 's1',
    key: 'bg',
    x: 0,
    y: 0,
    width: 10,
    height: 10,
    fill: '#11223344',
    cornerRadius: 2,
    borderColor: '#000',
    borderWidth: 1,
    opacity: 0.5,
  },
  setImage: { surface: 's1', key: 'img', x: 0, y: 0, data: png, width: 4 },
  setDraw: {
    surface: 's2',
    key: 'chart',
    ops: [
      {
        type: 'path',
        commands: [{ cmd: 'moveTo', x: 0, y: 0 }, { cmd: 'arc', x: 1, y: 1, radius: 2, startAngle: 0, endAngle: 3 }, { cmd: 'close' }],
        stroke: '#f00',
        dash: [2, 1],
      },
      { type: 'rect', x: 0, y: 0, width: 3, height: 3, fill: { type: 'linearGradient', x0: 0, y0: 0, x1: 1, y1: 1, stops: [{ offset: 0, color: '#000' }] } },
      { type: 'text', text: 'a', x: 0, y: 0, fontStyle: 'italic' },
      { type: 'polyline', points: [0, 0, 1, 1], closed: true },
    ],
  },
  removeElement: { surface: 's1', key: 'k' },
  clearElements: { surface: 's1' },
  show: { surface: 's1' },
  hide: { surface: 's12' },
  setPosition: { surface: 's1', x: -100, y: 1e6 },
  setSize: { surface: 's1', width: 1, height: LIMITS.maxSurfaceSide },
  setOpacity: { surface: 's1', opacity: 0 },
  fadeIn: { surface: 's1', durationMs: 200 },
  fadeOut: { surface: 's1' },
  anchorTo: { surface: 's1', target: 42, anchor: 'bottomLeft', offsetX: 3, surfaceCorner: 'topLeft' },
  unanchor: { surface: 's1' },
  setCaptureExcluded: { surface: 's1', excluded: false },
  setBackdrop: { surface: 's1', backdrop: 'mica' },
  destroy: { surface: 's1' },
  setSourceRegion: { surface: 's3', x: 1, y: 2, width: 3, height: 4 },
  clearSourceRegion: { surface: 's3' },
  setCaptureFps: { surface: 's3', fps: 60 },
  setTooltip: { surface: 't1', tooltip: '' },
  setTrayIcon: { surface: 't1', icon: { data: png } },
  setPopup: { surface: 't1', panel: null },
  setMenu: {
    surface: 't1',
    items: [
      { id: 'quit', label: 'Quit', enabled: true },
      { id: 'sep', separator: true },
    ],
  },
  batch: {
    commands: [
      { op: 'show', surface: 's1' },
      { op: 'setText', surface: 's1', key: 'k', text: 'x', x: 0, y: 0 },
    ],
  },
  getPosition: { surface: 's1' },
  monitors: {},
  capabilities: {},
  measureText: { text: 'abc', fontFamily: 'Sans', lineHeight: 1.2 },
  snapshot: { surface: 's1' },
  screenshot: {},
  listSurfaces: {},
  status: {},
  sync: {},
  stop: {},
  testPointer: { action: 'click', x: 1, y: 2, button: 'right' },
  testTrayClick: { surface: 't1', button: 'left', double: true },
  testTrayMenuSelect: { surface: 't1', itemId: 'quit' },
  testCreateWindow: { x: 0, y: 0, width: 10, height: 10, color: '#abc', title: 'w' },
  testMoveWindow: { window: 3, x: 1, y: 1 },
  testCloseWindow: { window: 3 },
  testUpdateWindow: { window: 7, color: '#123', minimized: true },
};

const sample = (op: OpName): Record<string, unknown> => ({ op, seq: 5, ...SAMPLES[op] });

/** Values near every rule's edges, and of every wrong type. */
const nasty = fc.oneof(
  fc.constantFrom<unknown>(
    undefined,
    null,
    NaN,
    Infinity,
    -Infinity,
    -1,
    0,
    0.5,
    1,
    255,
    1e6,
    1e6 + 1,
    -1e6 - 1,
    2 ** 53,
    1.5,
    '',
    's0',
    's1',
    't1',
    '#fff',
    '#ggg',
    'x'.repeat(257),
    'topLeft',
    'path',
    'moveTo',
    true,
    false,
    [],
    {},
    png,
  ),
  fc.anything({ maxDepth: 2 }),
  fc.double(),
  fc.string({ maxLength: 10 }),
);

/** Every path to a value inside a command, so a mutation can reach nested fields too. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value instanceof Uint8Array || typeof value !== 'object' || value === null) return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

/** Copied in this realm (structuredClone would make objects of another realm's Object). */
function deepCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (value instanceof Uint8Array) return value.slice();
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)]));
  return value;
}

function hasExplicitUndefined(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasExplicitUndefined);
  if (value instanceof Uint8Array || typeof value !== 'object' || value === null) return false;
  return Object.values(value).some((v) => v === undefined || hasExplicitUndefined(v));
}

/** A copy of `cmd` with the value at `at` replaced (`'drop'` removes it). */
function mutate(cmd: Record<string, unknown>, at: Array<string | number>, to: unknown): unknown {
  if (at.length === 0) return to === 'drop' ? undefined : to;
  const copy = deepCopy(cmd) as Record<string, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const k of at.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  if (to === 'drop') delete parent[last];
  else parent[last] = to;
  return copy;
}

describe('schema-compiled fast checks', () => {
  const checks = Object.fromEntries(OP_NAMES.map((op) => [op, compileFastCheck(CommandSchemas[op])]));

  it('compile for every op except those whose schema rewrites input (non-strict objects)', () => {
    expect(OP_NAMES.filter((op) => checks[op] === null)).toEqual(['createPip']);
  });

  it.each(OP_NAMES.filter((op) => checks[op] !== null))('say yes to a well-formed %s', (op) => {
    const cmd = sample(op);
    expect(CommandSchemas[op].safeParse(cmd).success).toBe(true);
    expect(checks[op]!(cmd)).toBe(true);
  });

  it('never say yes where zod says no or would return something else (mutated commands)', () => {
    const mutation = fc
      .constantFrom(...OP_NAMES)
      .chain((op) => fc.tuple(fc.constant(op), fc.constantFrom(...paths(sample(op))), fc.oneof(nasty, fc.constant('drop'))));
    const withExtraKey = fc.tuple(fc.constantFrom(...OP_NAMES), fc.string({ maxLength: 8 }), nasty);
    let agreedYes = 0;
    const agree = (op: OpName, value: unknown): void => {
      const zod = CommandSchemas[op].safeParse(value);
      const fast = checks[op]?.(value) ?? false;
      if (fast) {
        expect(zod.success).toBe(true);
        expect(isDeepStrictEqual(zod.data, value)).toBe(true);
        agreedYes++;
      } else if (zod.success && checks[op] && isDeepStrictEqual(zod.data, value) && !hasExplicitUndefined(value)) {
        // A "no" that zod would accept unchanged only costs speed; only keys set to undefined are left to zod on purpose.
        throw new Error(`fast check refused a command zod accepts unchanged: ${op}`);
      }
    };
    fc.assert(
      fc.property(mutation, ([op, at, to]) => agree(op, mutate(sample(op), at, to))),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(withExtraKey, ([op, key, to]) => agree(op, { ...sample(op), [key]: to })),
      { numRuns: 5_000 },
    );
    expect(agreedYes).toBeGreaterThan(1_000);
  });
});
