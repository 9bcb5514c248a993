// A pip of an animating window under Wine: the source (another process)
// repaints a new colour every 100 ms with no move or resize; the pip, a
// screen copy at 30 fps there (DWM thumbnails are E_NOTIMPL under Wine),
// must follow. xwd reads both from the same screen at the same instant.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  assertWineReady,
  screenshot,
  spawnWindowsNode,
  startXvfb,
  win32TestsEnabled,
  wineserverKill,
  type DecodedImage,
  type WindowsNodeProcess,
  type Xvfb,
} from './harness';
import { ROOT, WineClient, sleep, startEngine, type Json } from './e2e';
import { restoreWineDpiIfOverridden } from './dpi';

const COLOR_CYCLE = path.join(__dirname, 'fixtures', 'color-cycle.js');
const CHANGE_MS = 100;
const SOURCE = { x: 40, y: 300, width: 200, height: 120 };
const PIP = { x: 500, y: 300 };

(win32TestsEnabled ? describe : describe.skip)('live pip under Wine', () => {
  let xvfb: Xvfb | undefined;
  let engine: WindowsNodeProcess | undefined;
  const others: WindowsNodeProcess[] = [];
  let dir = '';
  let stateDir = '';
  const endpoint = `\\\\.\\pipe\\panepipe-win32-livepip-${process.pid}`;

  beforeAll(async () => {
    assertWineReady();
    restoreWineDpiIfOverridden();
    if (!fs.existsSync(path.join(ROOT, 'dist', 'engine', 'platform', 'win32', 'platform.js'))) throw new Error('build first (npx tsc -p .)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panepipe-win32-livepip-'));
    stateDir = path.join(dir, 'state');
    fs.mkdirSync(stateDir);
    xvfb = await startXvfb({ width: 1024, height: 768 });
    engine = await startEngine({ display: xvfb.display, dir, stateDir, endpoint, name: 'engine' });
  }, 120_000);

  afterAll(async () => {
    for (const p of others) await p.kill();
    await engine?.kill();
    wineserverKill();
    await xvfb?.stop();
  }, 60_000);

  it("the pip shows the source's current colour, at most one change behind, and animates with it", async () => {
    const display = xvfb!.display;
    const source = spawnWindowsNode(COLOR_CYCLE, [SOURCE.x, SOURCE.y, SOURCE.width, SOURCE.height, CHANGE_MS, 300_000].map(String), {
      display,
      outDir: path.join(dir, 'source'),
    });
    others.push(source);
    const ready = await source.waitForOutput(/^ready /, 60_000);
    const hwnd = Number(/hwnd=(\d+)/.exec(ready)![1]);
    const colors = /colors=([0-9a-f,]+)/
      .exec(ready)![1]!
      .split(',')
      .map((hex) => [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)));
    const indexAt = (img: DecodedImage, x: number, y: number): number => {
      const p = img.pixel(x, y);
      return colors.findIndex(([r, g, b]) => p.r === r && p.g === g && p.b === b);
    };

    const c = await WineClient.start(display, dir, 'client', endpoint, stateDir);
    others.push(c.proc);
    const caps = (await c.call('queryCapabilities')) as Json;
    expect(caps.pip).toBe('copy');
    await c.call('createPip', [{ width: SOURCE.width, height: SOURCE.height, sourceWindow: hwnd, placement: PIP }], { save: 'pip' });
    await c.on('pip', 'show');
    await c.call('sync');

    // Sampled until enough are read: each xwd reads both windows at one instant, however long it takes.
    const samples: { source: number; pip: number }[] = [];
    const deadline = Date.now() + 90_000;
    const started = Date.now();
    while (samples.filter((s) => s.source >= 0 && s.pip >= 0).length < 12 && Date.now() < deadline) {
      let img: DecodedImage;
      try {
        img = await screenshot(display);
      } catch {
        continue; // xwd can race a window change; take the next one
      }
      samples.push({ source: indexAt(img, SOURCE.x + 100, SOURCE.y + 60), pip: indexAt(img, PIP.x + 100, PIP.y + 60) });
      // A random phase within the whole colour cycle: an xwd that takes about one cycle would otherwise see the same colour every time.
      await sleep(Math.random() * CHANGE_MS * colors.length);
    }
    const read = samples.filter((s) => s.source >= 0 && s.pip >= 0);
    const lags = read.map((s) => (s.source - s.pip + colors.length) % colors.length);
    console.log(
      `live pip under Wine: ${samples.length} xwd samples in ${Date.now() - started} ms, ${read.length} read; lag in colour changes: ${JSON.stringify(lags)}`,
    );
    expect(read.length).toBeGreaterThanOrEqual(8);
    expect(read.length).toBeGreaterThanOrEqual(samples.length * 0.8);
    // The pip's colour is the source's, or the one just before it (changes
    // are 100 ms apart: 3 capture periods at 30 fps). On a machine loaded
    // past its cores (xwd itself holds the X server for its dump) a capture
    // can come late, so this holds for most samples, not each; a frozen pip
    // holds for one sample in three at most.
    const within = lags.filter((lag) => lag <= 1).length;
    expect(within).toBeGreaterThanOrEqual(Math.ceil(lags.length * 0.7));
    expect([...lags].sort((a, b) => a - b)[Math.floor(lags.length / 2)]).toBeLessThanOrEqual(1);
    // And it animates: it changes from one sample to the next (an xwd can
    // take about one 0.6 s cycle, so only the random pause above keeps the
    // samples from aliasing with it).
    const changes = read.slice(1).filter((s, i) => s.pip !== read[i]!.pip).length;
    expect(changes).toBeGreaterThanOrEqual(Math.ceil((read.length - 1) / 2));
    expect(new Set(read.map((s) => s.pip)).size).toBeGreaterThanOrEqual(3);
    await c.proc.kill();
  }, 120_000);
});
