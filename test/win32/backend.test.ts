// End-to-end tests of the win32 backend under Wine: the real engine
// (Windows node.exe running dist/cli/main.js engine --backend win32) and real
// clients (Windows node.exe running fixtures/client.js) talk over a named
// pipe; xwd reads what is on the screen and xdotool clicks. Needs setup.sh
// and a build (npx tsc -p .). Runs only with PANEPIPE_WIN32_TESTS=1.
import { spawnSync } from 'node:child_process';
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
  wineEnv,
  win32TestsEnabled,
  wineserverKill,
  type DecodedImage,
  type Rgb,
  type WindowsNodeProcess,
  type Xvfb,
} from './harness';
import {
  BLACK,
  BLUE,
  CLICK_TARGET,
  GREEN,
  ORANGE,
  ROOT,
  TARGET_RED,
  WineClient,
  geometryOf,
  pixelIs,
  screenUntil,
  sleep,
  startEngine as startWineEngine,
  until,
  xwindows,
  type Json,
  timedTests,
} from './e2e';
import { restoreWineDpiIfOverridden } from './dpi';

(win32TestsEnabled ? describe : describe.skip)('win32 backend under Wine', () => {
  let xvfb: Xvfb | undefined;
  let engine: WindowsNodeProcess | undefined;
  const others: WindowsNodeProcess[] = [];
  let dir = '';
  let stateDir = '';
  const endpoint = `\\\\.\\pipe\\panepipe-win32-test-${process.pid}`;
  const timings: string[] = [];
  let t0 = 0;

  /** `panepipe engine --backend win32` under Wine; resolves once it listens. */
  /** `panepipe engine --backend win32` under Wine; resolves once it listens. */
  const startEngine = (at: string, name: string): Promise<WindowsNodeProcess> => startWineEngine({ display: xvfb!.display, dir, stateDir, endpoint: at, name });

  const newClient = async (name: string, at = endpoint): Promise<WineClient> => {
    const c = await WineClient.start(xvfb!.display, dir, name, at, stateDir);
    others.push(c.proc);
    return c;
  };

  beforeAll(async () => {
    t0 = Date.now();
    assertWineReady();
    restoreWineDpiIfOverridden(); // a killed dpi.test.ts run must not leave this suite at 144 DPI
    if (!fs.existsSync(path.join(ROOT, 'dist', 'engine', 'platform', 'win32', 'platform.js'))) {
      throw new Error('dist/ has no win32 backend: build first (npx tsc -p .)');
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panepipe-win32-backend-'));
    stateDir = path.join(dir, 'state');
    fs.mkdirSync(stateDir);
    xvfb = await startXvfb({ width: 1280, height: 800 });
    engine = await startEngine(endpoint, 'engine');
    timings.push(`engine up: ${Date.now() - t0} ms`);
  }, 120_000);

  afterAll(async () => {
    for (const p of others) await p.kill();
    await engine?.kill();
    wineserverKill();
    await xvfb?.stop();
    timings.push(`total: ${Date.now() - t0} ms`);
    // eslint-disable-next-line no-console
    console.log(`win32 backend suite (${dir}):\n  ${timings.join('\n  ')}`);
  }, 60_000);

  const timed = timedTests(timings, 90_000);

  timed('capabilities and monitors are probed from the real (Wine) desktop', async () => {
    const c = await newClient('caps');
    const caps = (await c.call('queryCapabilities')) as Json;
    expect(caps).toMatchObject({ backend: 'win32', captureExclusion: false, backdrop: false, tray: true, testInput: false });
    expect(['copy', 'none']).toContain(caps.pip);
    const monitors = (await c.call('monitors')) as Json[];
    expect(monitors).toHaveLength(1);
    expect(monitors[0]).toMatchObject({ primary: true, dpi: 96, scale: 1, physicalBounds: { x: 0, y: 0, width: 1280, height: 800 } });
    await c.proc.kill();
  });

  timed('a HUD is presented at its position; move, hide, show and opacity show on screen', async () => {
    const display = xvfb!.display;
    const c = await newClient('hud');
    await c.call('createHud', [{ width: 200, height: 100, placement: { x: 100, y: 120 } }], { save: 'hud' });
    await c.on('hud', 'setRect', 'bg', { x: 0, y: 0, width: 200, height: 100, fill: '#ff8000' });
    await c.on('hud', 'show');
    await c.call('sync');
    const inside = [
      [100, 120],
      [299, 120],
      [100, 219],
      [299, 219],
      [200, 170],
    ] as const;
    const shot = await screenUntil(display, (img) => inside.every(([x, y]) => pixelIs(img, x, y, ORANGE)));
    for (const [x, y] of [
      [99, 120],
      [100, 119],
      [300, 219],
      [299, 220],
    ] as const)
      expect(shot.pixel(x, y)).toEqual(BLACK);

    await c.on('hud', 'setPosition', 400, 300);
    await c.call('sync');
    await screenUntil(display, (img) => pixelIs(img, 400, 300, ORANGE) && pixelIs(img, 599, 399, ORANGE) && pixelIs(img, 150, 170, BLACK));

    await c.on('hud', 'hide');
    await c.call('sync');
    await screenUntil(display, (img) => pixelIs(img, 450, 350, BLACK));

    await c.on('hud', 'show');
    await c.call('sync');
    await screenUntil(display, (img) => pixelIs(img, 450, 350, ORANGE));

    // Opacity is the layered window's constant alpha: Xvfb (no compositor) shows the premultiplied colour.
    await c.on('hud', 'setOpacity', 0.5);
    await c.call('sync');
    await screenUntil(display, (img) => {
      const p = img.pixel(450, 350);
      return Math.abs(p.r - 0x80) <= 2 && Math.abs(p.g - 0x40) <= 2 && p.b === 0;
    });

    // A new size re-renders into a new DIB of that size.
    await c.on('hud', 'setOpacity', 1);
    await c.on('hud', 'setSize', 100, 50);
    await c.call('sync');
    await screenUntil(
      display,
      (img) => pixelIs(img, 450, 340, ORANGE) && pixelIs(img, 499, 349, ORANGE) && pixelIs(img, 500, 340, BLACK) && pixelIs(img, 450, 350, BLACK),
    );

    // A burst of commands, one wake per burst: 300 updates then a barrier.
    const start = Date.now();
    const burst = Array.from({ length: 300 }, (_, i) => ({
      id: 10_000 + i,
      target: 'hud',
      method: 'setRect',
      args: ['bar', { x: 0, y: 0, width: 1 + (i % 200), height: 4, fill: '#00ff00' }],
    }));
    fs.appendFileSync(path.join(dir, 'hud.in.jsonl'), `${burst.map((b) => JSON.stringify(b)).join('\n')}\n`);
    await c.call('sync');
    timings.push(`  300 setRect + sync round trip: ${Date.now() - start} ms`);
    await c.proc.kill();
    await screenUntil(display, (img) => pixelIs(img, 450, 350, BLACK));
  });

  timed('a large surface: each update is rendered and presented before the barrier returns', async () => {
    const display = xvfb!.display;
    const c = await newClient('large');
    await c.call('createHud', [{ width: 1200, height: 700, placement: { x: 40, y: 50 } }], { save: 'hud' });
    await c.on('hud', 'setRect', 'bg', { x: 0, y: 0, width: 1200, height: 700, fill: '#ff8000' });
    await c.on('hud', 'show');
    await c.call('sync');
    await screenUntil(display, (img) => pixelIs(img, 640, 400, ORANGE) && pixelIs(img, 1239, 749, ORANGE));
    const frames = 20;
    const start = Date.now();
    for (let i = 0; i < frames; i++) {
      await c.on('hud', 'setRect', 'bar', { x: 0, y: 0, width: 10 + i * 50, height: 20, fill: '#00ff00' });
      await c.call('sync');
    }
    const perFrame = (Date.now() - start) / frames;
    timings.push(`  1200×700 HUD: ${perFrame.toFixed(1)} ms per update (command + render + present + barrier, client in Wine)`);
    await screenUntil(display, (img) => pixelIs(img, 40 + 10 + 19 * 50 - 1, 55, GREEN) && pixelIs(img, 40 + 10 + 19 * 50 + 1, 55, ORANGE));
    await c.proc.kill();
    await screenUntil(display, (img) => pixelIs(img, 640, 400, BLACK));
  });

  timed('panel: a click on an interactive element reaches the client; other areas click through to another process', async () => {
    const display = xvfb!.display;
    // An ordinary window of another process beneath the panel, logging its clicks.
    const target = spawnWindowsNode(CLICK_TARGET, ['650', '50', '500', '400', 'c01010', '300000'], { display, outDir: path.join(dir, 'target') });
    others.push(target);
    await target.waitForOutput(/^ready /, 60_000);
    await screenUntil(display, (img) => pixelIs(img, 660, 60, TARGET_RED));

    const c = await newClient('panel');
    const ref = (await c.call('createPanel', [{ width: 300, height: 200, placement: { x: 700, y: 100 } }], { save: 'panel' })) as { surface: string };
    await c.on('panel', 'setRect', 'bg', { x: 0, y: 0, width: 300, height: 200, fill: '#2040ff' });
    await c.on('panel', 'setRect', 'btn', { x: 20, y: 20, width: 100, height: 50, fill: '#00ff00', interactive: true });
    await c.on('panel', 'show');
    await c.call('sync');
    await screenUntil(display, (img) => pixelIs(img, 705, 105, BLUE) && pixelIs(img, 730, 130, GREEN) && pixelIs(img, 660, 60, TARGET_RED));

    // Hover first (as a user does), then click: the element gets it.
    await mouseMove(display, 760, 145);
    await sleep(300);
    await click(display, 760, 145);
    const clicked = await c.waitEvent('elementClicked btn', (e) => e.type === 'elementClicked' && e.key === 'btn');
    expect(clicked).toMatchObject({ surface: ref.surface, button: 'left', x: 60, y: 45 });

    // The panel's visible but non-interactive background passes the click to the window beneath.
    await mouseMove(display, 900, 250);
    await sleep(300);
    await click(display, 900, 250);
    await target.waitForOutput(/^lbuttondown 250 200$/, 10_000);

    // Back over the element: the panel takes input again.
    await mouseMove(display, 770, 150);
    await sleep(300);
    await click(display, 770, 150);
    await c.waitEvent('second elementClicked', (e) => e.type === 'elementClicked' && e.x === 70 && e.y === 50);
    expect(target.readOutput().stdout).not.toMatch(/^lbuttondown 120 100$/m);

    // A HUD never takes input: a click on it reaches the window beneath.
    await c.call('createHud', [{ width: 100, height: 100, placement: { x: 1000, y: 320 } }], { save: 'hud' });
    await c.on('hud', 'setRect', 'bg', { x: 0, y: 0, width: 100, height: 100, fill: '#ff8000' });
    await c.on('hud', 'show');
    await c.call('sync');
    await screenUntil(display, (img) => pixelIs(img, 1050, 370, ORANGE));
    await click(display, 1050, 370);
    await target.waitForOutput(/^lbuttondown 400 320$/, 10_000);
  });

  timed('panel hover: moving the pointer over, between and off interactive elements gives elementHovered / elementLeft', async () => {
    const display = xvfb!.display;
    const c = await newClient('hover');
    const ref = (await c.call('createPanel', [{ width: 300, height: 120, placement: { x: 700, y: 470 } }], { save: 'panel' })) as { surface: string };
    await c.on('panel', 'setRect', 'bg', { x: 0, y: 0, width: 300, height: 120, fill: '#2040ff' });
    await c.on('panel', 'setRect', 'a', { x: 20, y: 20, width: 80, height: 40, fill: '#00ff00', interactive: true });
    await c.on('panel', 'setRect', 'b', { x: 120, y: 20, width: 80, height: 40, fill: '#ff8000', interactive: true });
    await c.on('panel', 'show');
    await c.call('sync');
    await mouseMove(display, 690, 460); // off the panel
    await screenUntil(display, (img) => pixelIs(img, 705, 475, BLUE) && pixelIs(img, 760, 510, GREEN) && pixelIs(img, 860, 510, ORANGE));

    // The hover events of this panel, in order, as "hovered:a" / "left:a".
    const hoverLog = (): string[] =>
      c
        .events()
        .filter((e) => (e.type === 'elementHovered' || e.type === 'elementLeft') && e.surface === ref.surface)
        .map((e) => `${e.type === 'elementHovered' ? 'hovered' : 'left'}:${String(e.key)}`);
    const expectLog = async (what: string, want: string[]): Promise<void> => {
      await until(what, () => hoverLog().length >= want.length, 5_000).catch((err: Error) => {
        throw new Error(`${err.message}; hover events so far: ${hoverLog().join(', ') || 'none'}`);
      });
      await sleep(150); // nothing extra arrives
      expect(hoverLog()).toEqual(want);
    };
    // Moves in small steps, as a real pointer does (xdotool warps otherwise).
    let at = { x: 690, y: 460 };
    const glide = async (x: number, y: number): Promise<void> => {
      const steps = 4;
      for (let i = 1; i <= steps; i++) {
        await mouseMove(display, Math.round(at.x + ((x - at.x) * i) / steps), Math.round(at.y + ((y - at.y) * i) / steps));
        await sleep(20);
      }
      at = { x, y };
    };

    const start = Date.now();
    await glide(760, 510); // onto a
    await expectLog('hovered a', ['hovered:a']);
    timings.push(`  pointer onto an element → elementHovered: ${Date.now() - start} ms`);
    await glide(860, 510); // from a straight onto b (across the panel's non-interactive gap)
    await expectLog('left a, hovered b', ['hovered:a', 'left:a', 'hovered:b']);
    await glide(950, 560); // b → the panel's non-interactive background (the panel then passes input through)
    await expectLog('left b', ['hovered:a', 'left:a', 'hovered:b', 'left:b']);
    await glide(770, 520); // back onto a: the panel takes the pointer again
    await expectLog('hovered a again', ['hovered:a', 'left:a', 'hovered:b', 'left:b', 'hovered:a']);
    const leaveStart = Date.now();
    await glide(770, 640); // off the panel, downwards
    await expectLog('left a again', ['hovered:a', 'left:a', 'hovered:b', 'left:b', 'hovered:a', 'left:a']);
    timings.push(`  pointer off the panel → elementLeft: ${Date.now() - leaveStart} ms`);
    await c.proc.kill();
    await screenUntil(display, (img) => pixelIs(img, 705, 475, BLACK));
  });

  timed('panel drag region: dragging moves the window; surfaceMoved reports where it ended', async () => {
    const display = xvfb!.display;
    const c = await newClient('drag');
    await c.call('createPanel', [{ width: 200, height: 100, draggable: true, dragHeight: 30, placement: { x: 100, y: 640 } }], { save: 'panel' });
    await c.on('panel', 'setRect', 'bg', { x: 0, y: 0, width: 200, height: 100, fill: '#2040ff' });
    await c.on('panel', 'show');
    await c.call('sync');
    await screenUntil(display, (img) => pixelIs(img, 110, 650, BLUE));
    await mouseMove(display, 150, 650);
    await sleep(200);
    await mouseDown(display);
    for (let i = 1; i <= 10; i++) {
      await mouseMove(display, 150 + i * 20, 650 - i * 2);
      await sleep(30);
    }
    await mouseUp(display);
    const moved = await c.waitEvent('surfaceMoved', (e) => e.type === 'surfaceMoved');
    expect(moved).toMatchObject({ x: 300, y: 620 });
    await screenUntil(display, (img) => pixelIs(img, 310, 630, BLUE) && pixelIs(img, 110, 700, BLACK));
    const pos = (await c.on('panel', 'getPosition')) as Json;
    expect(pos).toMatchObject({ x: 300, y: 620, width: 200, height: 100 });
    await c.proc.kill();
    await screenUntil(display, (img) => pixelIs(img, 310, 630, BLACK));
  });

  timed('commands keep being applied while a panel is dragged (mouse held down); release gives surfaceMoved', async () => {
    const display = xvfb!.display;
    const dragger = await newClient('dragger');
    const other = await newClient('during-drag');
    const ref = (await dragger.call('createPanel', [{ width: 200, height: 100, draggable: true, dragHeight: 30, placement: { x: 100, y: 640 } }], {
      save: 'panel',
    })) as { surface: string };
    await dragger.on('panel', 'setRect', 'bg', { x: 0, y: 0, width: 200, height: 100, fill: '#2040ff' });
    await dragger.on('panel', 'show');
    await dragger.call('sync');
    await other.call('createHud', [{ width: 100, height: 60, placement: { x: 700, y: 650 } }], { save: 'hud' });
    await other.on('hud', 'setRect', 'bg', { x: 0, y: 0, width: 100, height: 60, fill: '#ff8000' });
    await other.on('hud', 'show');
    await other.call('sync');
    await screenUntil(display, (img) => pixelIs(img, 110, 650, BLUE) && pixelIs(img, 750, 680, ORANGE));

    // Press in the drag strip and move part of the way, in steps.
    await mouseMove(display, 150, 650);
    await sleep(200);
    await mouseDown(display);
    let released = false;
    try {
      for (let i = 1; i <= 5; i++) {
        await mouseMove(display, 150 + i * 20, 650 - i * 2);
        await sleep(30);
      }
      // Mid-drag: the panel already follows the pointer (top-left at 200,630).
      await screenUntil(display, (img) => pixelIs(img, 205, 635, BLUE) && pixelIs(img, 150, 735, BLACK));

      // Another client recolours and moves its HUD; the engine applies it while the button is still held.
      const during = Date.now();
      await other.on('hud', 'setRect', 'bg', { x: 0, y: 0, width: 100, height: 60, fill: '#00ff00' });
      await other.on('hud', 'setPosition', 850, 660);
      await other.call('sync');
      await screenUntil(display, (img) => pixelIs(img, 900, 690, GREEN) && pixelIs(img, 720, 660, BLACK));
      // The dragging client changes the dragged panel's own content too.
      await dragger.on('panel', 'setRect', 'mark', { x: 150, y: 50, width: 40, height: 40, fill: '#ff8000' });
      await dragger.call('sync');
      await screenUntil(display, (img) => pixelIs(img, 200 + 170, 630 + 70, ORANGE));
      timings.push(`  commands from two clients applied and on screen mid-drag: ${Date.now() - during} ms`);
      expect(dragger.events().filter((e) => e.type === 'surfaceMoved')).toEqual([]); // still held

      // The drag goes on after that; release ends it.
      for (let i = 6; i <= 10; i++) {
        await mouseMove(display, 150 + i * 20, 650 - i * 2);
        await sleep(30);
      }
      await mouseUp(display);
      released = true;
    } finally {
      if (!released) await mouseUp(display);
    }
    const moved = await dragger.waitEvent('surfaceMoved', (e) => e.type === 'surfaceMoved');
    expect(moved).toEqual({ type: 'surfaceMoved', surface: ref.surface, x: 300, y: 620 });
    await screenUntil(display, (img) => pixelIs(img, 310, 630, BLUE) && pixelIs(img, 470, 690, ORANGE) && pixelIs(img, 900, 690, GREEN));
    await dragger.proc.kill();
    await other.proc.kill();
    await screenUntil(display, (img) => pixelIs(img, 310, 630, BLACK) && pixelIs(img, 900, 690, BLACK));
  });

  timed("fades run on the loop's deadline timer and end with fadeCompleted", async () => {
    const display = xvfb!.display;
    const c = await newClient('fade');
    await c.call('createHud', [{ width: 60, height: 60, placement: { x: 1100, y: 600 } }], { save: 'hud' });
    await c.on('hud', 'setRect', 'bg', { x: 0, y: 0, width: 60, height: 60, fill: '#ff8000' });
    const start = Date.now();
    await c.on('hud', 'fadeIn', 400);
    await c.waitEvent('fadeCompleted in', (e) => e.type === 'fadeCompleted' && e.direction === 'in');
    const fadeInMs = Date.now() - start;
    await screenUntil(display, (img) => pixelIs(img, 1130, 630, ORANGE));
    const outStart = Date.now();
    await c.on('hud', 'fadeOut', 400);
    await c.waitEvent('fadeCompleted out', (e) => e.type === 'fadeCompleted' && e.direction === 'out');
    const fadeOutMs = Date.now() - outStart;
    await screenUntil(display, (img) => pixelIs(img, 1130, 630, BLACK));
    timings.push(`  fadeIn(400) → fadeCompleted seen by the client: ${fadeInMs} ms; fadeOut(400): ${fadeOutMs} ms`);
    expect(fadeInMs).toBeGreaterThanOrEqual(400);
    expect(fadeInMs).toBeLessThan(2500);
    await c.proc.kill();
  });

  timed("foreign windows: a pip copies another process's window; anchoring follows it; closing it is reported", async () => {
    const display = xvfb!.display;
    const SOURCE: Rgb = { r: 0x10, g: 0xc0, b: 0x10 };
    const source = spawnWindowsNode(CLICK_TARGET, ['40', '300', '120', '80', '10c010', '300000'], { display, outDir: path.join(dir, 'source') });
    others.push(source);
    const hwnd = Number(/hwnd=(\d+)/.exec(await source.waitForOutput(/^ready /, 60_000))![1]);
    await screenUntil(display, (img) => pixelIs(img, 100, 340, SOURCE));

    const c = await newClient('foreign');
    const caps = (await c.call('queryCapabilities')) as Json;
    await c.call('createHud', [{ width: 30, height: 20, placement: { x: 0, y: 0 } }], { save: 'badge' });
    await c.on('badge', 'setRect', 'bg', { x: 0, y: 0, width: 30, height: 20, fill: '#ff8000' });
    await c.on('badge', 'anchorTo', hwnd, 'bottomRight', { x: -5, y: -5 });
    await c.on('badge', 'show');
    await c.call('sync');
    // Bottom-right corner of the source (40..159, 300..379), 5 px inside.
    await screenUntil(display, (img) => pixelIs(img, 154, 374, ORANGE) && pixelIs(img, 125, 355, ORANGE) && pixelIs(img, 124, 354, SOURCE));

    if (caps.pip === 'copy') {
      await c.call('createPip', [{ width: 120, height: 80, sourceWindow: hwnd, placement: { x: 300, y: 300 } }], { save: 'pip' });
      await c.on('pip', 'show');
      await c.call('sync');
      await screenUntil(display, (img) => pixelIs(img, 360, 340, SOURCE));
    }

    await source.kill();
    await c.waitEvent('anchorTargetClosed', (e) => e.type === 'anchorTargetClosed');
    if (caps.pip === 'copy') await c.waitEvent('pipSourceClosed', (e) => e.type === 'pipSourceClosed');
    await c.proc.kill();
  });

  timed('SIGKILL of a client removes its windows from the screen; other clients keep theirs until they close', async () => {
    const display = xvfb!.display;
    const keep = await newClient('keeper');
    await keep.call('createHud', [{ width: 80, height: 80, placement: { x: 100, y: 500 } }], { save: 'hud' });
    await keep.on('hud', 'setRect', 'bg', { x: 0, y: 0, width: 80, height: 80, fill: '#00ff00' });
    await keep.on('hud', 'show');
    await keep.call('sync');

    const doomed = await newClient('doomed');
    await doomed.call('createHud', [{ width: 80, height: 80, placement: { x: 300, y: 500 } }], { save: 'hud' });
    await doomed.on('hud', 'setRect', 'bg', { x: 0, y: 0, width: 80, height: 80, fill: '#ff8000' });
    await doomed.on('hud', 'show');
    await doomed.call('createPanel', [{ width: 80, height: 80, placement: { x: 500, y: 500 } }], { save: 'panel' });
    await doomed.on('panel', 'setRect', 'bg', { x: 0, y: 0, width: 80, height: 80, fill: '#2040ff' });
    await doomed.on('panel', 'show');
    await doomed.call('sync');
    await screenUntil(display, (img) => pixelIs(img, 340, 540, ORANGE) && pixelIs(img, 540, 540, BLUE) && pixelIs(img, 140, 540, GREEN));

    const killedAt = Date.now();
    doomed.proc.child.kill('SIGKILL');
    await screenUntil(display, (img) => pixelIs(img, 340, 540, BLACK) && pixelIs(img, 540, 540, BLACK), 10_000);
    timings.push(`  kill -9 → windows gone: ${Date.now() - killedAt} ms`);
    const shot = await screenUntil(display, () => true);
    expect(shot.pixel(140, 540)).toEqual(GREEN);
    // A client that closes its connection takes its windows off the screen too.
    await keep.call('close');
    await screenUntil(display, (img) => pixelIs(img, 140, 540, BLACK), 10_000);
    await keep.proc.kill();
  });

  timed("tray: the icon shows in Wine's system tray; clicks and the context menu reach the client", async () => {
    const display = xvfb!.display;
    const c = await newClient('tray');
    const rgba = Buffer.alloc(16 * 16 * 4);
    for (let i = 0; i < rgba.length; i += 4) rgba.set([0xff, 0x00, 0xff, 0xff], i);
    const trayRef = (await c.call('createTray', [{ tooltip: 'panepipe test', icon: { rgba: { $base64: rgba.toString('base64') }, width: 16, height: 16 } }], {
      save: 'tray',
    })) as { surface: string };
    await c.call('sync');
    const ids = await until(
      'Wine System Tray window',
      () => {
        const found = xwindows(display, 'Wine System Tray');
        return found.length > 0 ? found : undefined;
      },
      15_000,
    );
    const tray = geometryOf(display, ids[0]!);
    expect(tray.width).toBeGreaterThan(0);
    const magentaInTray = (img: DecodedImage): boolean => {
      for (let y = tray.y; y < tray.y + tray.height; y++) {
        for (let x = tray.x; x < tray.x + Math.min(tray.width, 40); x++) if (pixelIs(img, x, y, { r: 255, g: 0, b: 255 })) return true;
      }
      return false;
    };
    await screenUntil(display, magentaInTray); // our RGBA icon, drawn by Wine's tray
    // The first icon sits at the tray's left; icons are square, the tray's height tall.
    const icon = { x: tray.x + Math.floor(tray.height / 2), y: tray.y + Math.floor(tray.height / 2) };

    await mouseMove(display, icon.x, icon.y);
    await sleep(200);
    await click(display, icon.x, icon.y);
    await c.waitEvent('trayClicked left', (e) => e.type === 'trayClicked' && e.tray === trayRef.surface && e.button === 'left' && e.double === false);

    await c.on('tray', 'setMenu', [
      { id: 'open', label: 'Open' },
      { id: 'sep', separator: true },
      { id: 'quit', label: 'Quit' },
    ]);
    await c.call('sync');
    // The menu is an unnamed visible X window (Wine, no window manager) that the right click brings up; 'Open' is its first of three rows.
    const unnamedBefore = new Set(xwindows(display, '^$'));
    await click(display, icon.x, icon.y, 3);
    await c.waitEvent('trayClicked right', (e) => e.type === 'trayClicked' && e.tray === trayRef.surface && e.button === 'right');
    const menu = await until(
      'context menu window',
      () => {
        const found = xwindows(display, '^$')
          .filter((id) => !unnamedBefore.has(id))
          .map((id) => ({ id, ...geometryOf(display, id) }));
        return found.find((w) => w.width > 0 && w.width < 1280 && w.height < 800);
      },
      5_000,
    );
    // While the menu's modal loop runs, the engine keeps applying commands: a flood far over one
    // cycle's budget, then a sync, is answered with the menu still open.
    await c.call('createHud', [{ width: 120, height: 30, placement: { x: 20, y: 20 } }], { save: 'busy' });
    await c.call('setText', ['t', { text: 'flood', x: 0, y: 0 }], { target: 'busy', repeat: 30_000 });
    await c.call('sync');
    expect(xwindows(display, '^$')).toContain(menu.id);
    const item = { x: menu.x + Math.floor(menu.width / 2), y: menu.y + Math.floor(menu.height * 0.22) };
    await mouseMove(display, item.x, item.y);
    await sleep(200);
    await click(display, item.x, item.y);
    const chosen = await c.waitEvent('trayMenuItemClicked open', (e) => e.type === 'trayMenuItemClicked' && e.itemId === 'open');
    expect(chosen).toEqual({ type: 'trayMenuItemClicked', tray: trayRef.surface, itemId: 'open' });

    // A popup panel toggles on left click, placed next to the icon when the shell reports its rect.
    await c.call('createPanel', [{ width: 100, height: 60, placement: { x: 900, y: 600 } }], { save: 'popup' });
    await c.on('popup', 'setRect', 'bg', { x: 0, y: 0, width: 100, height: 60, fill: '#2040ff' });
    await c.on('tray', 'setPopup', { $surface: 'popup' });
    await c.call('sync');
    const leftClicks = (): number => c.events().filter((e) => e.type === 'trayClicked' && e.button === 'left').length;
    const before = leftClicks();
    await mouseMove(display, icon.x, icon.y);
    await sleep(200);
    await click(display, icon.x, icon.y);
    await until('trayClicked for the popup', () => leftClicks() > before);
    const at = (await c.on('popup', 'getPosition')) as { x: number; y: number; width: number; height: number };
    timings.push(`  tray popup shown at ${at.x},${at.y}`);
    // Placed by the icon (clamped into the work area; Wine's tray sits at the top left), not left at 900,600.
    expect(at.x).toBeLessThan(icon.x + 20);
    expect(at.y).toBeLessThan(tray.y + tray.height + 20);
    await screenUntil(display, (img) => pixelIs(img, at.x + 50, at.y + 30, BLUE));
    await sleep(600); // not a double click
    // The popup may now cover the icon: its non-interactive background passes the click through.
    await mouseMove(display, icon.x + 1, icon.y);
    await sleep(300);
    await click(display, icon.x + 1, icon.y);
    await screenUntil(display, (img) => !pixelIs(img, at.x + 50, at.y + 30, BLUE));

    // Destroying the tray surface removes the icon.
    await c.on('tray', 'destroy');
    await c.call('sync');
    await screenUntil(display, (img) => !magentaInTray(img));
    await c.proc.kill();
  });

  timed('stop: the engine destroys everything, removes its tray icons and exits 0', async () => {
    const display = xvfb!.display;
    const c = await newClient('stopper');
    await c.call('createHud', [{ width: 50, height: 50, placement: { x: 600, y: 600 } }], { save: 'hud' });
    await c.on('hud', 'setRect', 'bg', { x: 0, y: 0, width: 50, height: 50, fill: '#ff8000' });
    await c.on('hud', 'show');
    const rgba = Buffer.alloc(16 * 16 * 4);
    for (let i = 0; i < rgba.length; i += 4) rgba.set([0x00, 0xff, 0xff, 0xff], i);
    await c.call('createTray', [{ tooltip: 'bye', icon: { rgba: { $base64: rgba.toString('base64') }, width: 16, height: 16 } }], { save: 'tray' });
    await c.call('sync');
    const CYAN: Rgb = { r: 0, g: 255, b: 255 };
    const cyanOnScreen = (img: DecodedImage): boolean => {
      for (let y = 0; y < 80; y++) for (let x = 0; x < 200; x++) if (pixelIs(img, x, y, CYAN)) return true;
      return false;
    };
    await screenUntil(display, (img) => pixelIs(img, 625, 625, ORANGE) && cyanOnScreen(img));
    const start = Date.now();
    // The engine may say goodbye before the reply: the request then fails with "the engine shut down".
    await c.call('stopEngine').catch((err: Error) => expect(err.message).toMatch(/shut down/));
    const exit = await engine!.exited;
    timings.push(`  stop → engine exit: ${Date.now() - start} ms`);
    expect(exit.code).toBe(0);
    await screenUntil(display, (img) => pixelIs(img, 625, 625, BLACK) && !cyanOnScreen(img));
  });

  timed('Windows end of session (wineboot --end-session) shuts the engine down cleanly', async () => {
    const display = xvfb!.display;
    const at = `${endpoint}-2`;
    const second = await startEngine(at, 'engine2');
    others.push(second);
    const c = await newClient('session', at);
    await c.call('createHud', [{ width: 50, height: 50, placement: { x: 700, y: 600 } }], { save: 'hud' });
    await c.on('hud', 'setRect', 'bg', { x: 0, y: 0, width: 50, height: 50, fill: '#ff8000' });
    await c.on('hud', 'show');
    await c.call('sync');
    await screenUntil(display, (img) => pixelIs(img, 725, 625, ORANGE));
    const env = wineEnv();
    const r = spawnSync(env.wine, ['wineboot', '--end-session'], {
      env: { ...process.env, WINEPREFIX: env.prefix, WINEDEBUG: '-all', DISPLAY: display },
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    const exit = await second.exited;
    expect(exit.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'engine2.log'), 'utf8')).toMatch(/shutting down: Windows session ending/);
    await screenUntil(display, (img) => pixelIs(img, 725, 625, BLACK));
  });
});
