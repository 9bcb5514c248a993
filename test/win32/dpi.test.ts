// The win32 backend at 144 DPI (scale 1.5) under Wine: Wine's DPI is raised
// through the registry (see dpi.ts) before the engine starts, and put back
// afterwards. Checks what Wine reports, what monitors() says, and that
// surfaces are 1.5× their logical size on screen, with input mapped back to
// logical coordinates. Needs setup.sh and a build; PANEPIPE_WIN32_TESTS=1.
// Shares the prefix with the other win32 suites: run with --runInBand.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  assertWineReady,
  click,
  mouseDown,
  mouseMove,
  mouseUp,
  spawnWindowsNode,
  startXvfb,
  win32TestsEnabled,
  wineserverKill,
  type WindowsNodeProcess,
  type Xvfb,
} from './harness';
import { BLACK, BLUE, GREEN, ORANGE, WineClient, pixelIs, screenUntil, sleep, startEngine, timedTests, type Json } from './e2e';
import { readDesktopLogPixels, restoreWineDpi, setWineDpi } from './dpi';

const DPI_PROBE = path.join(__dirname, 'fixtures', 'dpi-probe.js');

interface DpiProbe {
  getDeviceCaps: { x: number; y: number };
  getDpiForSystem: number | null;
  awareness: number | null;
  screen: { width: number; height: number };
  getDpiForMonitor: { hr: number; x: number; y: number } | null;
}

(win32TestsEnabled ? describe : describe.skip)('win32 backend under Wine at 144 DPI', () => {
  let xvfb: Xvfb | undefined;
  let engine: WindowsNodeProcess | undefined;
  const others: WindowsNodeProcess[] = [];
  let dir = '';
  let stateDir = '';
  const endpoint = `\\\\.\\pipe\\panepipe-win32-dpi-test-${process.pid}`;
  const timings: string[] = [];
  let t0 = 0;

  /** What a fresh Wine process sees (fixtures/dpi-probe.js). */
  const probe = async (name: string): Promise<DpiProbe> => {
    const p = spawnWindowsNode(DPI_PROBE, [], { display: xvfb!.display, outDir: path.join(dir, name) });
    const line = await p.waitForOutput(/^\{/, 60_000);
    await p.exited;
    return JSON.parse(line) as DpiProbe;
  };

  const newClient = async (name: string): Promise<WineClient> => {
    const c = await WineClient.start(xvfb!.display, dir, name, endpoint, stateDir);
    others.push(c.proc);
    return c;
  };

  beforeAll(async () => {
    t0 = Date.now();
    assertWineReady();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panepipe-win32-dpi-'));
    stateDir = path.join(dir, 'state');
    fs.mkdirSync(stateDir);
    setWineDpi(144);
    timings.push(`LogPixels set to 144: ${Date.now() - t0} ms`);
    xvfb = await startXvfb({ width: 1280, height: 800 });
    engine = await startEngine({ display: xvfb.display, dir, stateDir, endpoint, name: 'engine' });
    timings.push(`engine up: ${Date.now() - t0} ms`);
  }, 120_000);

  afterAll(async () => {
    for (const p of others) await p.kill();
    await engine?.kill();
    try {
      restoreWineDpi();
      if (xvfb) {
        // Prove the prefix is back at 96 for the suites that follow.
        const after = await probe('probe-restored');
        timings.push(`after restore: GetDpiForMonitor ${after.getDpiForMonitor?.x}, GetDeviceCaps ${after.getDeviceCaps.x}`);
        if (after.getDpiForMonitor?.x !== 96) throw new Error(`Wine DPI not restored: ${JSON.stringify(after)}`);
      }
    } finally {
      wineserverKill(); // also writes the restored registry to disk
      await xvfb?.stop();
      timings.push(`total: ${Date.now() - t0} ms`);
      // eslint-disable-next-line no-console
      console.log(`win32 144-DPI suite (${dir}):\n  ${timings.join('\n  ')}`);
    }
  }, 60_000);

  const timed = timedTests(timings, 60_000);

  timed('Wine reports 144 DPI to a new process through every DPI API', async () => {
    expect(readDesktopLogPixels()).toBe(144);
    const seen = await probe('probe');
    timings.push(`  probe: ${JSON.stringify(seen)}`);
    expect(seen).toMatchObject({
      getDeviceCaps: { x: 144, y: 144 },
      getDpiForSystem: 144,
      awareness: 2, // per-monitor aware: window coordinates are physical pixels
      screen: { width: 1280, height: 800 },
      getDpiForMonitor: { hr: 0, x: 144, y: 144 },
    });
  });

  timed('monitors() reports dpi 144 and scale 1.5; logical bounds are the physical ones / 1.5', async () => {
    const c = await newClient('monitors');
    const monitors = (await c.call('monitors')) as Json[];
    expect(monitors).toHaveLength(1);
    const m = monitors[0] as { bounds: { width: number; height: number } } & Json;
    expect(m).toMatchObject({ primary: true, dpi: 144, scale: 1.5, physicalBounds: { x: 0, y: 0, width: 1280, height: 800 } });
    expect(m.bounds).toMatchObject({ x: 0, y: 0 });
    expect(m.bounds.width).toBeCloseTo(1280 / 1.5, 6);
    expect(m.bounds.height).toBeCloseTo(800 / 1.5, 6);
    const caps = (await c.call('queryCapabilities')) as Json;
    expect(caps).toMatchObject({ backend: 'win32', perMonitorDpi: true });
    await c.proc.kill();
  });

  timed('a HUD is 1.5× its logical size on screen, at 1.5× its logical position', async () => {
    const display = xvfb!.display;
    const c = await newClient('hud');
    // Logical 200×100 at (100, 120) → physical 300×150 at (150, 180).
    await c.call('createHud', [{ width: 200, height: 100, placement: { x: 100, y: 120 } }], { save: 'hud' });
    await c.on('hud', 'setRect', 'bg', { x: 0, y: 0, width: 200, height: 100, fill: '#ff8000' });
    await c.on('hud', 'setRect', 'bar', { x: 0, y: 0, width: 100, height: 10, fill: '#00ff00' }); // → 150×15 physical
    await c.on('hud', 'show');
    await c.call('sync');
    const corners = [
      [150, 180],
      [449, 180],
      [150, 329],
      [449, 329],
    ] as const;
    const shot = await screenUntil(
      display,
      (img) => pixelIs(img, 300, 250, ORANGE) && corners.every(([x, y]) => pixelIs(img, x, y, x < 300 && y < 195 ? GREEN : ORANGE)),
    );
    for (const [x, y] of [
      [149, 200],
      [150, 179],
      [450, 329],
      [449, 330],
    ] as const)
      expect(shot.pixel(x, y)).toEqual(BLACK);
    // The bar: 150 physical pixels wide, 15 tall.
    expect(shot.pixel(299, 194)).toEqual(GREEN);
    expect(shot.pixel(300, 194)).toEqual(ORANGE);
    expect(shot.pixel(299, 195)).toEqual(ORANGE);
    // Positions stay logical in the API.
    expect(await c.on('hud', 'getPosition')).toMatchObject({ x: 100, y: 120, width: 200, height: 100 });

    // Moving and resizing scale the same way: logical (300, 200) 100×50 → physical (450, 300) 150×75.
    await c.on('hud', 'setPosition', 300, 200);
    await c.on('hud', 'setSize', 100, 50);
    await c.call('sync');
    await screenUntil(
      display,
      (img) =>
        pixelIs(img, 450, 300, GREEN) &&
        pixelIs(img, 599, 374, ORANGE) &&
        pixelIs(img, 600, 374, BLACK) &&
        pixelIs(img, 599, 375, BLACK) &&
        pixelIs(img, 300, 250, BLACK),
    );
    await c.proc.kill();
    await screenUntil(display, (img) => pixelIs(img, 500, 330, BLACK));
  });

  timed('a panel at 1.5×: clicks come back in logical coordinates; a drag reports its logical end', async () => {
    const display = xvfb!.display;
    const c = await newClient('panel');
    // Logical 200×100 at (400, 300) → physical 300×150 at (600, 450); the drag strip is the top 20 (30 physical).
    await c.call('createPanel', [{ width: 200, height: 100, draggable: true, dragHeight: 20, placement: { x: 400, y: 300 } }], { save: 'panel' });
    await c.on('panel', 'setRect', 'bg', { x: 0, y: 0, width: 200, height: 100, fill: '#2040ff' });
    // Logical (20, 40) 100×40 → screen (630, 510)–(779, 569).
    await c.on('panel', 'setRect', 'btn', { x: 20, y: 40, width: 100, height: 40, fill: '#00ff00', interactive: true });
    await c.on('panel', 'show');
    await c.call('sync');
    await screenUntil(
      display,
      (img) =>
        pixelIs(img, 600, 450, BLUE) &&
        pixelIs(img, 899, 599, BLUE) &&
        pixelIs(img, 630, 510, GREEN) &&
        pixelIs(img, 779, 569, GREEN) &&
        pixelIs(img, 629, 510, BLUE) &&
        pixelIs(img, 780, 569, BLUE) &&
        pixelIs(img, 900, 599, BLACK),
    );

    await mouseMove(display, 690, 540);
    await sleep(300);
    await click(display, 690, 540);
    const clicked = await c.waitEvent('elementClicked btn', (e) => e.type === 'elementClicked' && e.key === 'btn');
    expect(clicked).toMatchObject({ button: 'left', x: 60, y: 60 }); // physical (90, 90) inside the panel / 1.5

    // Drag by (+60, +30) physical = (+40, +20) logical.
    await mouseMove(display, 700, 460);
    await sleep(200);
    await mouseDown(display);
    try {
      for (let i = 1; i <= 6; i++) {
        await mouseMove(display, 700 + i * 10, 460 + i * 5);
        await sleep(30);
      }
    } finally {
      await mouseUp(display);
    }
    const moved = await c.waitEvent('surfaceMoved', (e) => e.type === 'surfaceMoved');
    expect(moved).toMatchObject({ x: 440, y: 320 });
    await screenUntil(display, (img) => pixelIs(img, 660, 480, BLUE) && pixelIs(img, 959, 629, BLUE) && pixelIs(img, 650, 470, BLACK));
    expect(await c.on('panel', 'getPosition')).toMatchObject({ x: 440, y: 320, width: 200, height: 100 });
    await c.proc.kill();
  });
});
