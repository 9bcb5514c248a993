/**
 * Hostile input from several clients at once, for a bounded time
 * (PANEPIPE_FUZZ_MS, default 15 s). Invariants: the engine never crashes or
 * hangs, a disconnected client leaves no surface behind, and a well-behaved
 * client alongside gets every reply and event it should, in order.
 */
import * as fc from 'fast-check';
import * as net from 'node:net';
import { OP_NAMES, commandStreamCodec, encodeBody, type StreamCodec } from '../../protocol';
import { nextEvent, startEngine, type TestEngine } from '../helpers/engine';
import { rawClient } from '../helpers/rawClient';

const BUDGET_MS = Number(process.env.PANEPIPE_FUZZ_MS ?? 15_000);

const value = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
  fc.uint8Array({ maxLength: 64 }),
  fc.array(fc.integer(), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
);
const surfaceRef = fc.oneof(fc.constantFrom('s1', 's2', 's3', 's10', 't1', 't2', 's999999'), fc.string({ maxLength: 6 }));
const smallInt = fc.integer({ min: -20, max: 400 });
// Everything but `stop`: any client may legitimately stop the engine.
const ops = OP_NAMES.filter((op) => op !== 'stop');

/** Commands that are often valid, often nearly valid, sometimes nonsense. */
const command = fc.record(
  {
    op: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...ops) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }),
    seq: fc.oneof({ weight: 9, arbitrary: fc.nat() }, { weight: 1, arbitrary: value }),
    surface: surfaceRef,
    key: fc.string({ maxLength: 6 }),
    text: fc.string({ maxLength: 40 }),
    x: fc.oneof(smallInt, value),
    y: fc.oneof(smallInt, value),
    width: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 300 }) }, { weight: 1, arbitrary: value }),
    height: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 300 }) }, { weight: 1, arbitrary: value }),
    fill: fc.oneof(fc.constantFrom('#fff', '#123456', '#11223344'), fc.string({ maxLength: 9 })),
    opacity: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), value),
    action: fc.constantFrom('move', 'down', 'up', 'click'),
    interactive: fc.boolean(),
    durationMs: fc.integer({ min: 0, max: 50 }),
    commands: fc.array(
      fc.record(
        {
          op: fc.constantFrom('show', 'hide', 'setRect', 'setText'),
          surface: surfaceRef,
          key: fc.string({ maxLength: 3 }),
          x: smallInt,
          y: smallInt,
          width: smallInt,
          height: smallInt,
          text: fc.string({ maxLength: 5 }),
        },
        { requiredKeys: ['op'] },
      ),
      { maxLength: 5 },
    ),
    junk: value,
  },
  { requiredKeys: ['op'] },
);

type Action =
  | { kind: 'command'; cmd: Record<string, unknown> }
  | { kind: 'frame'; value: unknown }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'corrupt'; cmd: Record<string, unknown>; at: number; xor: number }
  | { kind: 'partial'; cmd: Record<string, unknown> };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 12, arbitrary: command.map((cmd) => ({ kind: 'command' as const, cmd })) },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 2 }).map((v) => ({ kind: 'frame' as const, value: v })) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ kind: 'bytes' as const, bytes })) },
  // A well-formed frame with one byte changed: in a record stream, often a shape definition or reference.
  { weight: 2, arbitrary: fc.record({ cmd: command, at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }).map((c) => ({ kind: 'corrupt' as const, ...c })) },
  { weight: 1, arbitrary: command.map((cmd) => ({ kind: 'partial' as const, cmd })) },
);

let engine: TestEngine;
beforeAll(async () => {
  engine = await startEngine(['--persistent', '--test-input']);
});
afterAll(async () => {
  await engine.stop();
});

/**
 * One hostile session: a real handshake, then the generated actions, then a
 * disconnect (maybe mid-frame). `codec`: its commands as a record stream
 * (shapes defined and referenced across frames, as the client library
 * sends them); without, plain maps.
 */
async function hostileSession(actions: Action[], codec?: StreamCodec): Promise<void> {
  const raw = await rawClient(engine);
  const frameOf = (value: unknown): Buffer | null => {
    let body: Buffer;
    try {
      body = encodeBody(value, codec);
    } catch {
      return null;
    }
    const header = Buffer.alloc(4);
    header.writeUInt32LE(body.length);
    return Buffer.concat([header, body]);
  };
  for (const a of actions) {
    if (raw.socket.destroyed) break;
    switch (a.kind) {
      case 'command':
      case 'frame': {
        const frame = frameOf(a.kind === 'command' ? a.cmd : a.value);
        if (frame) raw.socket.write(frame);
        break;
      }
      case 'bytes':
        raw.socket.write(a.bytes);
        break;
      case 'corrupt': {
        const frame = frameOf(a.cmd);
        if (!frame) break;
        const at = 4 + (a.at % (frame.length - 4));
        frame[at] = frame[at]! ^ a.xor;
        raw.socket.write(frame);
        break;
      }
      case 'partial': {
        // Half a frame, then gone: a client dying mid-frame.
        const frame = frameOf(a.cmd);
        if (frame) raw.socket.write(frame.subarray(0, Math.max(1, frame.length >> 1)));
        raw.socket.destroy();
        break;
      }
    }
  }
  await new Promise((r) => setTimeout(r, 5));
  raw.close();
}

/** Bytes before any handshake: refused, never crash. */
async function preHandshakeGarbage(bytes: Uint8Array): Promise<void> {
  const socket = net.connect(engine.endpoint);
  socket.on('error', () => undefined);
  await new Promise((r) => socket.once('connect', r));
  socket.write(bytes);
  await new Promise((r) => setTimeout(r, 2));
  socket.destroy();
}

it(
  `survives ${BUDGET_MS / 1000} s of hostile clients while a good client is served in order`,
  async () => {
    const good = await engine.connect({ name: 'good' });
    const panel = await good.createPanel({ width: 100, height: 100, placement: { x: 1500, y: 800 } });
    panel.setRect('button', { x: 0, y: 0, width: 100, height: 100, fill: '#00ff00', interactive: true });
    panel.show();
    await good.sync();

    let stop = false;
    let goodRounds = 0;
    const goodLoop = (async () => {
      while (!stop) {
        // Replies come back in the order asked, with the right values.
        const sizes = [11, 12, 13].map((n) => n + (goodRounds % 5));
        const huds = await Promise.all(sizes.map((w) => good.createHud({ width: w, height: 7 })));
        const listed = new Map((await good.listSurfaces()).map((s) => [s.id, s.bounds.width]));
        expect(huds.map((h) => listed.get(h.id))).toEqual(sizes);
        for (const h of huds) h.destroy();
        // Its own click still reaches it, through everyone else's noise.
        good.command('testPointer', { action: 'click', x: 1550, y: 850 });
        const ev = await nextEvent(good, 'elementClicked', 5_000);
        expect(ev).toMatchObject({ surface: panel.id, key: 'button' });
        goodRounds++;
      }
    })();

    const started = Date.now();
    const seed = Number(process.env.PANEPIPE_FUZZ_SEED ?? Date.now() % 2 ** 31);
    console.log(`fuzz: seed ${seed} (PANEPIPE_FUZZ_SEED=${seed} runs the same inputs again)`);
    let sessions = 0;
    let inputs = 0;
    const background = (async () => {
      for (let n = 0; !stop; n++) {
        const [garbage] = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 256 }), { numRuns: 1, seed: seed + n });
        await preHandshakeGarbage(garbage!);
        inputs++;
      }
    })();
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 60 }), async (actions) => {
        await Promise.all([hostileSession(actions), hostileSession(actions.slice().reverse(), commandStreamCodec())]);
        sessions += 2;
        inputs += actions.length * 2;
        expect(engine.proc.exitCode).toBeNull();
      }),
      { numRuns: 1_000_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false, seed },
    );
    stop = true;
    await Promise.all([goodLoop, background]);

    // Every hostile session's surfaces are gone; only the good client's panel remains.
    const deadline = Date.now() + 2_000;
    let status = await good.status();
    while (status.surfaces.length !== 1 && Date.now() < deadline) status = await good.status();
    expect(status.surfaces.map((s) => s.id)).toEqual([panel.id]);
    expect(engine.proc.exitCode).toBeNull();
    expect(goodRounds).toBeGreaterThan(0);
    // Much of the input got past validation and was applied, and none of it hit an engine bug.
    expect(status.stats.commands).toBeGreaterThan(inputs / 10);
    // The engine thread decoded every record-stream frame exactly as the main thread did.
    expect(engine.output()).not.toMatch(/internal error|did not decode again/);
    console.log(`fuzz: ${sessions} hostile sessions, ${inputs} inputs, ${goodRounds} good rounds in ${Date.now() - started} ms`);
    await good.close();
  },
  BUDGET_MS + 60_000,
);
