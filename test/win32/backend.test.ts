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
  assertWineReady, click, mouseDown, mouseMove, mouseUp, sameRgb, spawnWindowsNode, startXvfb, toWindowsPath, waitForScreen, wineEnv,
  win32TestsEnabled, wineserverKill, type DecodedImage, type Rgb, type WindowsNodeProcess, type Xvfb,
} from './harness';

const ROOT = wineEnv().projectRoot;
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const DIST_CLIENT = path.join(ROOT, 'dist', 'client');
const CLIENT = path.join(__dirname, 'fixtures', 'client.js');
const CLICK_TARGET = path.join(__dirname, 'fixtures', 'click-target.js');
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const BLACK: Rgb = { r: 0, g: 0, b: 0 };
const ORANGE: Rgb = { r: 0xff, g: 0x80, b: 0x00 };
const BLUE: Rgb = { r: 0x20, g: 0x40, b: 0xff };
const GREEN: Rgb = { r: 0x00, g: 0xff, b: 0x00 };
const TARGET_RED: Rgb = { r: 0xc0, g: 0x10, b: 0x10 };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(30);
  }
}

type Json = Record<string, unknown>;
interface PanepipeEventJson { type: string; [k: string]: unknown }

/** A client process (fixtures/client.js) driven through a command file; it writes results and events as JSON lines. */
class WineClient {
  private nextId = 1;
  private constructor(readonly proc: WindowsNodeProcess, private readonly inFile: string, private readonly outFile: string) {}

  static async start(display: string, dir: string, name: string, endpoint: string, stateDir: string): Promise<WineClient> {
    const inFile = path.join(dir, `${name}.in.jsonl`);
    const outFile = path.join(dir, `${name}.out.jsonl`);
    fs.writeFileSync(inFile, '');
    fs.writeFileSync(outFile, '');
    const proc = spawnWindowsNode(CLIENT, [
      toWindowsPath(DIST_CLIENT), endpoint, toWindowsPath(stateDir), toWindowsPath(inFile), toWindowsPath(outFile),
    ], { display, outDir: path.join(dir, name) });
    const client = new WineClient(proc, inFile, outFile);
    await until(`${name} ready`, () => client.lines().find((l) => l.ready || l.fatal), 60_000).then((l) => {
      if (l.fatal) throw new Error(`client ${name}: ${String(l.fatal)}`);
    });
    return client;
  }

  lines(): Json[] {
    return fs.readFileSync(this.outFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
  }

  events(): PanepipeEventJson[] {
    return this.lines().filter((l) => l.event).map((l) => l.event as PanepipeEventJson);
  }

  async call(method: string, args: unknown[] = [], opts: { target?: string; save?: string } = {}): Promise<unknown> {
    const id = this.nextId++;
    fs.appendFileSync(this.inFile, JSON.stringify({ id, method, args, ...opts }) + '\n');
    const line = await until(`reply to ${method} (#${id})`, () => this.lines().find((l) => l.id === id), 15_000);
    if (!line.ok) throw new Error(`${method} failed: ${String(line.error)}`);
    return line.result;
  }

  on(target: string, method: string, ...args: unknown[]): Promise<unknown> {
    return this.call(method, args, { target });
  }

  async waitEvent(what: string, match: (e: PanepipeEventJson) => boolean, timeoutMs = 10_000): Promise<PanepipeEventJson> {
    return until(what, () => this.events().find(match), timeoutMs);
  }
}

/** Visible X windows whose name matches `name` (a regex). */
function xwindows(display: string, name: string): string[] {
  const out = spawnSync('xdotool', ['search', '--onlyvisible', '--name', name], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' });
  return out.stdout.split('\n').filter(Boolean);
}

function geometryOf(display: string, id: string): { x: number; y: number; width: number; height: number } {
  const out = spawnSync('xdotool', ['getwindowgeometry', '--shell', id], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' });
  const g = Object.fromEntries(out.stdout.split('\n').filter(Boolean).map((l) => l.split('='))) as Record<string, string>;
  return { x: Number(g.X), y: Number(g.Y), width: Number(g.WIDTH), height: Number(g.HEIGHT) };
}

/**
 * waitForScreen that survives a failed capture: `xwd` can fail with
 * BadDrawable when a window is destroyed while it reads the screen.
 */
async function screenUntil(display: string, ready: (img: DecodedImage) => boolean, timeoutMs = 10_000): Promise<DecodedImage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await waitForScreen(display, ready, Math.max(0, deadline - Date.now()));
    } catch (err) {
      if (Date.now() > deadline || !/BadDrawable|BadWindow|BadMatch/.test(String(err))) throw err;
    }
  }
}

function pixelIs(img: DecodedImage, x: number, y: number, rgb: Rgb): boolean {
  return sameRgb(img.pixel(x, y), rgb);
}

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
  const startEngine = async (at: string, name: string): Promise<WindowsNodeProcess> => {
    const log = path.join(dir, `${name}.log`);
    const p = spawnWindowsNode(CLI, [
      'engine', '--backend', 'win32', '--endpoint', at, '--state-dir', toWindowsPath(stateDir), '--persistent',
      '--font', toWindowsPath(FONT), '--log-file', toWindowsPath(log),
    ], { display: xvfb!.display, outDir: path.join(dir, name), env: { PANEPIPE_WIN32_TRACE: toWindowsPath(path.join(dir, `${name}.trace.log`)) } });
    await until(`${name} listening`, () => {
      if (fs.existsSync(log) && /listening on/.test(fs.readFileSync(log, 'utf8'))) return true;
      const { stderr } = p.readOutput();
      if (stderr.trim()) throw new Error(`${name} failed:\n${stderr}`);
      return undefined;
    }, 90_000);
    return p;
  };

  const newClient = async (name: string, at = endpoint): Promise<WineClient> => {
    const c = await WineClient.start(xvfb!.display, dir, name, at, stateDir);
    others.push(c.proc);
    return c;
  };

  beforeAll(async () => {
    t0 = Date.now();
    assertWineReady();
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

  const timed = (name: string, fn: () => Promise<void>, timeout = 90_000): void => {
    test(name, async () => {
      const start = Date.now();
      try {
        await fn();
      } finally {
        timings.push(`${name}: ${Date.now() - start} ms`);
      }
    }, timeout);
  };

  timed('capabilities and monitors are probed from the real (Wine) desktop', async () => {
    const c = await newClient('caps');
    const caps = await c.call('queryCapabilities') as Json;
    expect(caps).toMatchObject({ backend: 'win32', captureExclusion: false, backdrop: false, tray: true, testInput: false });
    expect(['copy', 'none']).toContain(caps.pip);
    const monitors = await c.call('monitors') as Json[];
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
    const inside = [[100, 120], [299, 120], [100, 219], [299, 219], [200, 170]] as const;
    const shot = await screenUntil(display, (img) => inside.every(([x, y]) => pixelIs(img, x, y, ORANGE)));
    for (const [x, y] of [[99, 120], [100, 119], [300, 219], [299, 220]] as const) expect(shot.pixel(x, y)).toEqual(BLACK);

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
    await screenUntil(display, (img) => pixelIs(img, 450, 340, ORANGE) && pixelIs(img, 499, 349, ORANGE) && pixelIs(img, 500, 340, BLACK) && pixelIs(img, 450, 350, BLACK));

    // A burst of commands, one wake per burst: 300 updates then a barrier.
    const start = Date.now();
    const burst = Array.from({ length: 300 }, (_, i) => ({ id: 10_000 + i, target: 'hud', method: 'setRect', args: ['bar', { x: 0, y: 0, width: 1 + (i % 200), height: 4, fill: '#00ff00' }] }));
    fs.appendFileSync(path.join(dir, 'hud.in.jsonl'), burst.map((b) => JSON.stringify(b)).join('\n') + '\n');
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
    await c.call('createPanel', [{ width: 300, height: 200, placement: { x: 700, y: 100 } }], { save: 'panel' });
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
    expect(clicked).toMatchObject({ surface: expect.any(String), button: 'left', x: 60, y: 45 });

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
    const pos = await c.on('panel', 'getPosition') as Json;
    expect(pos).toMatchObject({ x: 300, y: 620, width: 200, height: 100 });
    await c.proc.kill();
    await screenUntil(display, (img) => pixelIs(img, 310, 630, BLACK));
  });

  timed('fades run on the loop\'s deadline timer and end with fadeCompleted', async () => {
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

  timed('foreign windows: a pip copies another process\'s window; anchoring follows it; closing it is reported', async () => {
    const display = xvfb!.display;
    const SOURCE: Rgb = { r: 0x10, g: 0xc0, b: 0x10 };
    const source = spawnWindowsNode(CLICK_TARGET, ['40', '300', '120', '80', '10c010', '300000'], { display, outDir: path.join(dir, 'source') });
    others.push(source);
    const hwnd = Number(/hwnd=(\d+)/.exec(await source.waitForOutput(/^ready /, 60_000))![1]);
    await screenUntil(display, (img) => pixelIs(img, 100, 340, SOURCE));

    const c = await newClient('foreign');
    const caps = await c.call('queryCapabilities') as Json;
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

  timed('SIGKILL of a client removes its windows from the screen; other clients keep theirs', async () => {
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
    await keep.proc.kill();
  });

  timed('tray: the icon shows in Wine\'s system tray; clicks and the context menu reach the client', async () => {
    const display = xvfb!.display;
    const c = await newClient('tray');
    const rgba = Buffer.alloc(16 * 16 * 4);
    for (let i = 0; i < rgba.length; i += 4) rgba.set([0xff, 0x00, 0xff, 0xff], i);
    await c.call('createTray', [{ tooltip: 'panepipe test', icon: { rgba: { $base64: rgba.toString('base64') }, width: 16, height: 16 } }], { save: 'tray' });
    await c.call('sync');
    const ids = await until('Wine System Tray window', () => {
      const found = xwindows(display, 'Wine System Tray');
      return found.length > 0 ? found : undefined;
    }, 15_000);
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
    await c.waitEvent('trayClicked left', (e) => e.type === 'trayClicked' && e.button === 'left' && e.double === false);

    await c.on('tray', 'setMenu', [{ id: 'open', label: 'Open' }, { id: 'sep', separator: true }, { id: 'quit', label: 'Quit' }]);
    await c.call('sync');
    await click(display, icon.x, icon.y, 3);
    await c.waitEvent('trayClicked right', (e) => e.type === 'trayClicked' && e.button === 'right');
    // The menu is an unnamed visible X window (Wine, no window manager); 'Open' is its first of three rows.
    const menu = await until('context menu window', () => {
      const found = xwindows(display, '^$').map((id) => ({ id, ...geometryOf(display, id) }));
      return found.find((w) => w.width > 0 && w.width < 1280 && w.height < 800);
    }, 5_000);
    const item = { x: menu.x + Math.floor(menu.width / 2), y: menu.y + Math.floor(menu.height * 0.22) };
    await mouseMove(display, item.x, item.y);
    await sleep(200);
    await click(display, item.x, item.y);
    await c.waitEvent('trayMenuItemClicked open', (e) => e.type === 'trayMenuItemClicked' && e.itemId === 'open');

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
    const at = await c.on('popup', 'getPosition') as { x: number; y: number; width: number; height: number };
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
      env: { ...process.env, WINEPREFIX: env.prefix, WINEDEBUG: '-all', DISPLAY: display }, timeout: 30_000,
    });
    expect(r.status).toBe(0);
    const exit = await second.exited;
    expect(exit.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'engine2.log'), 'utf8')).toMatch(/shutting down: Windows session ending/);
    await screenUntil(display, (img) => pixelIs(img, 725, 625, BLACK));
  });
});
