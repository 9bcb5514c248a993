import * as net from 'node:net';
import { OP_NAMES, PanepipeError, encodeFrame, FrameDecoder, PROTOCOL_VERSION, connectionFilePath, isReplyingOp } from '../../protocol';
import * as fs from 'node:fs';
import { drainEvents, nextEvent, startEngine, waitFor, type TestEngine } from '../helpers/engine';
import { rawClient } from '../helpers/rawClient';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startEngine();
});
afterAll(async () => {
  await engine.stop();
});

describe('commands, replies and events between real processes', () => {
  it('routes events only to the session that owns the surface', async () => {
    const a = await engine.connect({ name: 'a' });
    const b = await engine.connect({ name: 'b' });
    const panelA = await a.createPanel({ width: 200, height: 100, placement: { x: 100, y: 100 } });
    const panelB = await b.createPanel({ width: 200, height: 100, placement: { x: 600, y: 100 } });
    panelA.setRect('button', { x: 10, y: 10, width: 80, height: 40, fill: '#3366ff', interactive: true });
    panelB.setRect('button', { x: 10, y: 10, width: 80, height: 40, fill: '#33ff66', interactive: true });
    panelA.show();
    panelB.show();
    await Promise.all([a.sync(), b.sync()]);

    a.command('testPointer', { action: 'click', x: 130, y: 130 });
    const clicked = await nextEvent(a, 'elementClicked');
    expect(clicked).toMatchObject({ surface: panelA.id, key: 'button', button: 'left' });
    // B's own injected click on A's panel also reaches A, never B: events follow ownership.
    b.command('testPointer', { action: 'click', x: 140, y: 130 });
    await nextEvent(a, 'elementClicked');
    await b.sync();
    expect(drainEvents(b).filter((e) => e.type.startsWith('element'))).toEqual([]);

    b.command('testPointer', { action: 'click', x: 630, y: 130 });
    const clickedB = await nextEvent(b, 'elementClicked');
    expect(clickedB.surface).toBe(panelB.id);
    await a.sync();
    expect(drainEvents(a).filter((e) => e.type === 'elementClicked')).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it('resolves 1,000 concurrent createHud requests each to its own id', async () => {
    const c = await engine.connect();
    const huds = await Promise.all(Array.from({ length: 1000 }, (_, i) => c.createHud({ width: 10 + (i % 7), height: 10 })));
    const ids = huds.map((h) => h.id);
    expect(new Set(ids).size).toBe(1000);
    // Each reply went to its own request: the sizes asked for match what the engine created.
    const listed = new Map((await c.listSurfaces()).map((s) => [s.id, s.bounds.width]));
    expect(ids.map((id) => listed.get(id))).toEqual(ids.map((_, i) => 10 + (i % 7)));
    await c.close();
  });

  it('matches each reply to its own request when replies come back out of order', async () => {
    const c = await engine.connect();
    // The main thread refuses the invalid createHud at once, before the engine thread answers the requests sent ahead of it.
    const [status, measured, refused, created] = await Promise.allSettled([
      c.status(),
      c.measureText({ text: 'abc', fontSize: 20 }),
      c.createHud({ width: -5, height: 10 }),
      c.createHud({ width: 12, height: 7 }),
    ]);
    expect(status).toMatchObject({ status: 'fulfilled', value: { pid: engine.proc.pid } });
    expect(measured).toMatchObject({ status: 'fulfilled', value: { lines: 1, width: expect.any(Number) } });
    expect(refused).toMatchObject({ status: 'rejected', reason: { code: 'invalidCommand', op: 'createHud' } });
    expect(created).toMatchObject({ status: 'fulfilled', value: { id: expect.stringMatching(/^s\d+$/) } });
    expect(await c.listSurfaces()).toEqual([expect.objectContaining({ bounds: expect.objectContaining({ width: 12, height: 7 }) })]);
    await c.close();
  });

  it('answers bad commands with clear errors and keeps serving everyone', async () => {
    const good = await engine.connect({ name: 'good' });
    const bad = await engine.connect({ name: 'bad' });
    const hudGood = await good.createHud({ width: 50, height: 50 });

    // A fire-and-forget failure is an error event naming seq, op and code.
    const seq = bad.command('setText', { surface: hudGood.id, key: 'x', text: 'hijack', x: 0, y: 0 });
    const err = await nextEvent(bad, 'error');
    expect(err).toMatchObject({ seq, op: 'setText', code: 'unknownSurface' });

    // A failed request rejects with the code.
    await expect(bad.request('getPosition', { surface: hudGood.id })).rejects.toMatchObject({ code: 'unknownSurface' });
    await expect(bad.request('createHud', { width: -5, height: 10 } as never)).rejects.toMatchObject({ code: 'invalidCommand' });
    await expect(bad.request('snapshot' as never, { surface: 'zz' } as never)).rejects.toBeInstanceOf(PanepipeError);
    bad.command('nonsense' as never, {} as never);
    expect(await nextEvent(bad, 'error')).toMatchObject({ code: 'unknownOp', op: 'nonsense' });
    const tray = await bad.createTray({ tooltip: 't' });
    bad.command('setText', { surface: tray.id, key: 'k', text: 'x', x: 0, y: 0 });
    expect(await nextEvent(bad, 'error')).toMatchObject({ code: 'wrongSurfaceKind' });

    // Nothing of the good client's changed and it is still served.
    expect(await good.listSurfaces()).toEqual([expect.objectContaining({ id: hudGood.id, elements: 0, visible: false })]);
    expect(drainEvents(good)).toEqual([]);
    await Promise.all([good.close(), bad.close()]);
  });

  it('answers every refused op the way its client waits: a reply to its seq if it replies, else an error event', async () => {
    const raw = await rawClient(engine);
    for (const [i, op] of OP_NAMES.entries()) raw.send({ op, seq: i + 1, notAField: true });
    await waitFor(() => raw.received.length === OP_NAMES.length);
    const answers = new Map(raw.received.map((m) => [(m as { seq: number }).seq, m]));
    OP_NAMES.forEach((op, i) => {
      const seq = i + 1;
      const refusal = isReplyingOp(op)
        ? { type: 'reply', seq, error: expect.objectContaining({ code: 'invalidCommand' }) }
        : { type: 'error', seq, op, code: 'invalidCommand' };
      expect([op, answers.get(seq)]).toEqual([op, expect.objectContaining(refusal)]);
    });
    raw.close();
  });

  it('survives malformed frames on a raw connection', async () => {
    const good = await engine.connect();
    const info = JSON.parse(fs.readFileSync(connectionFilePath(engine.endpoint, { stateDir: engine.stateDir }), 'utf8')) as { token: string };
    const raw = net.connect(engine.endpoint);
    const decoder = new FrameDecoder();
    const received: unknown[] = [];
    raw.on('data', (d: Buffer) => {
      for (const f of decoder.push(d)) if (f.ok) received.push(f.value);
    });
    await new Promise((r) => raw.once('connect', r));
    raw.write(encodeFrame({ hello: 'panepipe', protocol: PROTOCOL_VERSION, client: 'raw', pid: 1, token: info.token }));
    raw.on('error', () => undefined);
    const closed = new Promise((r) => raw.once('close', r));
    raw.write(Buffer.from([3, 0, 0, 0, 0xc1, 0xc1, 0xc1])); // undecodable body
    raw.write(Buffer.from([0xff, 0xff, 0xff, 0x7f])); // claims a 2 GB frame
    raw.write(Buffer.alloc(64, 0x41)); // swallowed as part of that frame
    // A frame over the limit ends the stream: everything the engine had to say has arrived once it closes.
    await closed;
    const errors = received.filter((m) => (m as { type?: string }).type === 'error');
    expect(errors).toEqual([expect.objectContaining({ code: 'badFrame', seq: null }), expect.objectContaining({ code: 'frameTooLarge', seq: null })]);
    raw.destroy();
    expect((await good.status()).pid).toBe(engine.proc.pid);
    await good.close();
  });
});
