import * as fs from 'node:fs';
import * as path from 'node:path';
import { LIMITS } from '../../protocol';
import type { Client } from '../../client';
import { drainEvents, nextEvent, sharedEngine, waitFor, type TestEngine } from '../helpers/engine';
import { rssOf } from '../helpers/memory';
import { solidPng } from '../helpers/png';
import { rawClient } from '../helpers/rawClient';

const shared = sharedEngine(['--persistent', '--test-input', '--monitors', '8192x8192@96']);
let engine: TestEngine;
let pp: Client;
beforeAll(() => ({ engine, client: pp } = shared));

/** After each limit is hit, the engine still serves a bystander. */
async function bystanderStillServed(): Promise<void> {
  const other = await engine.connect({ name: 'bystander' });
  const hud = await other.createHud({ width: 10, height: 10 });
  expect((await other.listSurfaces()).map((s) => s.id)).toEqual([hud.id]);
  await other.close();
}

describe('limits: at the limit works, one past is a clear error, the engine carries on', () => {
  it(`surfaces per session (${LIMITS.maxSurfacesPerSession})`, async () => {
    const c = await engine.connect();
    const created = await Promise.all(Array.from({ length: LIMITS.maxSurfacesPerSession }, () => c.createHud({ width: 1, height: 1 })));
    const owned = async () => (await c.listSurfaces()).map((s) => s.id).sort();
    expect(await owned()).toEqual(created.map((h) => h.id).sort());
    expect(new Set(created.map((h) => h.id)).size).toBe(LIMITS.maxSurfacesPerSession);
    await expect(c.createHud({ width: 1, height: 1 })).rejects.toMatchObject({
      code: 'limitExceeded',
      message: expect.stringContaining('maxSurfacesPerSession'),
    });
    await expect(c.createTray({})).rejects.toMatchObject({ code: 'limitExceeded' });
    expect(await owned()).toHaveLength(LIMITS.maxSurfacesPerSession);
    created[0]!.destroy();
    const again = await c.createHud({ width: 1, height: 1 });
    expect(await owned()).toEqual([...created.slice(1).map((h) => h.id), again.id].sort());
    await bystanderStillServed();
    await c.close();
  });

  it(`elements per surface (${LIMITS.maxElementsPerSurface})`, async () => {
    const hud = await pp.createHud({ width: 10, height: 10 });
    const batch = Array.from({ length: LIMITS.maxElementsPerSurface }, (_, i) => ({
      op: 'setRect' as const,
      surface: hud.id,
      key: `k${i}`,
      x: 0,
      y: 0,
      width: 1,
      height: 1,
    }));
    pp.batch(batch);
    await pp.sync();
    expect((await pp.listSurfaces()).find((s) => s.id === hud.id)!.elements).toBe(LIMITS.maxElementsPerSurface);
    hud.setRect('k0', { x: 1, y: 1, width: 2, height: 2 }); // replacing an existing key is fine at the limit
    const seq = pp.command('setRect', { surface: hud.id, key: 'one-more', x: 0, y: 0, width: 1, height: 1 });
    expect(await nextEvent(pp, 'error')).toMatchObject({ seq, code: 'limitExceeded', message: expect.stringContaining('maxElementsPerSurface') });
    expect((await pp.listSurfaces()).find((s) => s.id === hud.id)!.elements).toBe(LIMITS.maxElementsPerSurface);
    hud.destroy();
    await bystanderStillServed();
  });

  it(`pixels per surface (${LIMITS.maxPixelsPerSurface})`, async () => {
    const width = 4096;
    const height = LIMITS.maxPixelsPerSurface / width;
    const big = await pp.createHud({ width, height });
    await expect(pp.createHud({ width, height: height + 1 })).rejects.toMatchObject({
      code: 'limitExceeded',
      message: expect.stringContaining('maxPixelsPerSurface'),
    });
    big.setSize(width + 1, height);
    expect(await nextEvent(pp, 'error')).toMatchObject({ op: 'setSize', code: 'limitExceeded' });
    expect(await big.getPosition()).toMatchObject({ width, height });
    big.destroy();
    await bystanderStillServed();
  });

  it(`text length (${LIMITS.maxTextLength})`, async () => {
    const hud = await pp.createHud({ width: 10, height: 10 });
    hud.setText('t', { text: 'x'.repeat(LIMITS.maxTextLength), x: 0, y: 0 });
    hud.setText('t2', { text: 'x'.repeat(LIMITS.maxTextLength + 1), x: 0, y: 0 });
    expect(await nextEvent(pp, 'error')).toMatchObject({ code: 'limitExceeded', message: expect.stringContaining('maxTextLength') });
    expect((await pp.listSurfaces()).find((s) => s.id === hud.id)!.elements).toBe(1);
    hud.destroy();
  });

  it(`image bytes (${LIMITS.maxImageBytes}), inline and from a file`, async () => {
    const hud = await pp.createHud({ width: 10, height: 10 });
    const png = solidPng(4, 4, '#ff0000');
    // A valid PNG padded with trailing bytes to exactly the limit still decodes.
    const atLimit = Buffer.concat([png, Buffer.alloc(LIMITS.maxImageBytes - png.length)]);
    hud.setImage('ok', { x: 0, y: 0, data: atLimit });
    await pp.sync();
    expect(drainEvents(pp).filter((e) => e.type === 'error')).toEqual([]);
    hud.setImage('big', { x: 0, y: 0, data: Buffer.concat([atLimit, Buffer.alloc(1)]) });
    expect(await nextEvent(pp, 'error')).toMatchObject({ code: 'limitExceeded', message: expect.stringContaining('maxImageBytes') });
    const file = path.join(engine.stateDir, 'big.png');
    fs.writeFileSync(file, Buffer.concat([atLimit, Buffer.alloc(1)]));
    hud.setImage('file', { x: 0, y: 0, path: file });
    expect(await nextEvent(pp, 'error')).toMatchObject({ code: 'limitExceeded' });
    hud.destroy();
  });

  it(`frame bytes (${LIMITS.maxFrameBytes})`, async () => {
    const raw = await rawClient(engine);
    // Body of exactly the limit: decoded (then refused as a command, not as a frame).
    const pad = (n: number) => ({ op: 'sync', seq: 1, pad: Buffer.alloc(n) });
    const overhead = Buffer.from(require('../../protocol').encodeBody(pad(0))).length;
    const exactBytes = LIMITS.maxFrameBytes - overhead - 4; // bin32 header grows by 4 bytes past 255
    raw.send(pad(exactBytes));
    raw.send({ op: 'sync', seq: 2, pad: Buffer.alloc(LIMITS.maxFrameBytes) });
    // Past the limit the stream ends: the engine says why and closes, and nothing after is read.
    raw.send({ op: 'sync', seq: 3 });
    const closed = new Promise((r) => raw.socket.once('close', r));
    const deadline = Date.now() + 10_000;
    while (raw.received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await closed;
    expect(raw.received).toEqual([
      expect.objectContaining({ type: 'reply', seq: 1, error: expect.objectContaining({ code: 'invalidCommand' }) }),
      expect.objectContaining({ type: 'error', code: 'frameTooLarge', message: expect.stringContaining('maxFrameBytes') }),
    ]);
    await bystanderStillServed();
  });

  it(`pending events per session: a client that never reads is told it lost events and slows no one`, async () => {
    const raw = await rawClient(engine, { read: false });
    // A panel whose two buttons the pointer alternates between: two events per move.
    raw.send({ op: 'createPanel', seq: 1, width: 200, height: 100, placement: { x: 0, y: 0 } });
    const panelId = `s${String(await firstSurfaceOf(raw))}`;
    for (const [key, x] of [
      ['a', 0],
      ['b', 100],
    ] as const) {
      raw.send({ op: 'setRect', seq: 2, surface: panelId, key, x, y: 0, width: 100, height: 100, interactive: true });
    }
    raw.send({ op: 'show', seq: 3, surface: panelId });
    const rssBefore = rssOf(engine.proc.pid!);
    const moves = 60_000;
    for (let i = 0; i < moves; i += 1000) {
      const burst = [];
      for (let j = 0; j < 1000; j++) burst.push({ op: 'testPointer', seq: 10 + i + j, action: 'move', x: (i + j) % 2 ? 150 : 50, y: 50 });
      for (const m of burst) raw.send(m);
      // The bystander's round trip stays fast while the hog's events pile up.
      const t0 = performance.now();
      await pp.sync();
      expect(performance.now() - t0).toBeLessThan(1000);
    }
    await pp.sync();
    const rssAfter = rssOf(engine.proc.pid!);
    expect(rssAfter - rssBefore).toBeLessThan(64 * 1024 * 1024);
    // Now read: the backlog arrives, and every event is either delivered or counted as dropped.
    raw.socket.resume();
    const generated = 2 * moves - 1; // hovered a, then left + hovered at every move
    const kinds = () => raw.received.map((m) => m as { type?: string; count?: number });
    const delivered = () => kinds().filter((m) => /^element/.test(String(m.type))).length;
    const dropped = () => kinds().reduce((n, m) => n + (m.type === 'eventsDropped' ? m.count! : 0), 0);
    await waitFor(
      () => delivered() + dropped() >= generated,
      15_000,
      () => `${delivered()} delivered, ${dropped()} dropped`,
    );
    expect(dropped()).toBeGreaterThan(0);
    expect(delivered() + dropped()).toBe(generated);
    raw.close();
  }, 60_000);
});

async function firstSurfaceOf(raw: Awaited<ReturnType<typeof rawClient>>): Promise<number> {
  // The creator's reply cannot be read (the client is paused): ask the engine which surface it owns.
  void raw;
  const status = await pp.status();
  const mine = status.sessions.find((s) => s.name === 'raw')!;
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline) {
    const s = (await pp.status()).sessions.find((x) => x.id === mine.id)!;
    if (s.surfaces.length) return Number(s.surfaces[0]!.slice(1));
  }
  throw new Error('raw client has no surface');
}
