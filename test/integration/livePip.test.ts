/**
 * Live pips on the headless backend: a virtual foreign window's content
 * changes with no event (as a real program's drawing), and the pip follows
 * at its capture rate; hidden pips, minimized sources and an engine with no
 * visible pip cost nothing.
 */
import * as fs from 'node:fs';
import type { Client } from '../../client';
import { sharedEngine, type TestEngine } from '../helpers/engine';
import { hexAt, screenWhen, screenshot } from '../helpers/screen';

const shared = sharedEngine();
let engine: TestEngine;
let pp: Client;
/** Another client: screenshots from it show the pip as last presented, forcing nothing. */
let viewer: Client;
beforeAll(async () => {
  ({ engine, client: pp } = shared);
  viewer = await engine.connect({ name: 'viewer' });
});
afterAll(() => viewer.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const frames = async () => (await viewer.status()).stats.framesPresented;
/** CPU time (user + system, ms) the engine process has used. */
const engineCpuMs = () => {
  const fields = fs.readFileSync(`/proc/${engine.proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};

/** What a test made, removed after it whatever its outcome, so no pip of one test runs in the next. */
const made: (() => void)[] = [];
afterEach(async () => {
  for (const undo of made.splice(0)) undo();
  await pp.sync();
});

async function pipOf(color: string, fps?: number, size = { width: 100, height: 100 }) {
  const { window } = await pp.request('testCreateWindow', { x: 0, y: 0, ...size, color });
  const pip = await pp.createPip({ sourceWindow: window, ...size, placement: { x: 1500, y: 300 }, ...(fps ? { captureFps: fps } : {}) });
  made.push(() => {
    pip.destroy();
    pp.command('testCloseWindow', { window });
  });
  pip.show();
  await pp.sync();
  return { window, pip };
}

describe('live pips (headless)', () => {
  it("a visible pip shows its source's new content within a few capture periods, with no other trigger", async () => {
    const { window } = await pipOf('#ff0000');
    const shot = await screenWhen(viewer, (s) => hexAt(s, 1510, 310) === '#ff0000ff');
    expect(hexAt(shot, 1510, 310)).toBe('#ff0000ff');
    for (const color of ['#0000ff', '#00ff00', '#ffff00']) {
      pp.command('testUpdateWindow', { window, color });
      await pp.sync();
      await sleep(3 * (1000 / 30)); // three capture periods at the default 30 fps
      // The viewer's screenshot shows the pip as last presented: the capture already happened.
      expect(hexAt(await screenshot(viewer), 1510, 310)).toBe(`${color}ff`);
    }
  });

  it('captures at the rate set per pip', async () => {
    const { pip } = await pipOf('#ff0000', 5);
    const at5 = await frames();
    await sleep(1_000);
    const in5 = (await frames()) - at5;
    expect(in5).toBeGreaterThanOrEqual(3);
    expect(in5).toBeLessThanOrEqual(7);
    pip.setCaptureFps(40);
    await pp.sync();
    const at40 = await frames();
    await sleep(1_000);
    const in40 = (await frames()) - at40;
    expect(in40).toBeGreaterThanOrEqual(20);
    expect(in40).toBeLessThanOrEqual(45);
  });

  it('pauses while the pip is hidden or its source minimized, and catches up after', async () => {
    const { window, pip } = await pipOf('#ff0000');
    pip.hide();
    await pp.sync();
    let before = await frames();
    await sleep(400);
    expect((await frames()) - before).toBe(0);

    pip.show();
    pp.command('testUpdateWindow', { window, minimized: true });
    await pp.sync();
    before = await frames();
    await sleep(400);
    expect((await frames()) - before).toBeLessThanOrEqual(1);

    pp.command('testUpdateWindow', { window, minimized: false, color: '#00ffff' });
    const shot = await screenWhen(viewer, (s) => hexAt(s, 1510, 310) === '#00ffffff', 1_000);
    expect(hexAt(shot, 1510, 310)).toBe('#00ffffff');
  });

  it('an engine whose pips are all hidden stays idle: no frames, no CPU', async () => {
    // Large enough that its captures cost clearly more than the clock ticks the CPU is counted in (≈ 1 ms each).
    const { pip } = await pipOf('#ff0000', undefined, { width: 400, height: 400 });
    const busyFrames = await frames();
    const busyCpu = engineCpuMs();
    await sleep(2_000);
    const visibleFrames = (await frames()) - busyFrames;
    const visibleCpu = engineCpuMs() - busyCpu;
    pip.hide();
    await pp.sync();
    await sleep(100);
    const idleFrames = await frames();
    const idleCpu = engineCpuMs();
    await sleep(2_000);
    expect((await frames()) - idleFrames).toBe(0);
    const hiddenCpu = engineCpuMs() - idleCpu;
    expect(visibleFrames).toBeGreaterThan(30);
    expect(hiddenCpu).toBeLessThanOrEqual(30); // the status requests above only: 0–3 ticks
    expect(hiddenCpu).toBeLessThan(visibleCpu);
  });
});
