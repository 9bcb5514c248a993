// End-to-end check of the Wine harness: Windows node.exe + koffi draws a
// layered window on Xvfb, xwd sees its exact pixels, xdotool clicks reach its
// WNDPROC, and Skia renders text. Runs only with PANEPIPE_WIN32_TESTS=1.
import * as path from 'node:path';
import {
  assertWineReady,
  click,
  sameRgb,
  spawnWindowsNode,
  startXvfb,
  toWindowsPath,
  waitForScreen,
  win32TestsEnabled,
  wineserverKill,
  type Rgb,
  type WindowsNodeProcess,
  type Xvfb,
} from './harness';

const FIXTURE = path.join(__dirname, 'fixtures', 'layered-window.js');
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const WIN = { x: 100, y: 120, w: 200, h: 150 };
const COLOR: Rgb = { r: 0xff, g: 0x80, b: 0x00 };
const BLACK: Rgb = { r: 0, g: 0, b: 0 }; // Xvfb root with -br

(win32TestsEnabled ? describe : describe.skip)('win32 harness smoke', () => {
  let xvfb: Xvfb | undefined;
  let proc: WindowsNodeProcess | undefined;

  beforeAll(async () => {
    assertWineReady();
    xvfb = await startXvfb({ width: 1280, height: 800 });
  }, 30_000);

  afterAll(async () => {
    await proc?.kill();
    wineserverKill();
    await xvfb?.stop();
  }, 60_000);

  test('layered window pixels, clicks and Skia text under Wine', async () => {
    const display = xvfb!.display;
    proc = spawnWindowsNode(FIXTURE, [String(WIN.x), String(WIN.y), String(WIN.w), String(WIN.h), 'ff8000', toWindowsPath(FONT), '90000'], { display });
    await proc.waitForOutput(/^ready /, 90_000);

    // Skia loaded (bcryptprimitives shim) and drew text with the registered font.
    const skia = /^skia font=(\w+) inked=(\d+)$/m.exec(proc.readOutput().stdout);
    expect(skia?.[1]).toBe('true');
    expect(Number(skia?.[2])).toBeGreaterThan(100);

    // The window's pixels read back exactly; its surroundings do not.
    const inside = [
      [WIN.x, WIN.y],
      [WIN.x + WIN.w - 1, WIN.y],
      [WIN.x, WIN.y + WIN.h - 1],
      [WIN.x + WIN.w - 1, WIN.y + WIN.h - 1],
      [WIN.x + WIN.w / 2, WIN.y + WIN.h / 2],
    ] as const;
    const outside = [
      [WIN.x - 1, WIN.y],
      [WIN.x, WIN.y - 1],
      [WIN.x + WIN.w, WIN.y + WIN.h - 1],
      [WIN.x + WIN.w - 1, WIN.y + WIN.h],
      [5, 5],
      [1000, 700],
    ] as const;
    const shot = await waitForScreen(display, (img) => inside.every(([x, y]) => sameRgb(img.pixel(x, y), COLOR)));
    expect(shot.width).toBe(1280);
    expect(shot.height).toBe(800);
    for (const [x, y] of inside) expect(shot.pixel(x, y)).toEqual(COLOR);
    for (const [x, y] of outside) expect(shot.pixel(x, y)).toEqual(BLACK);

    // A click in screen coordinates arrives as WM_LBUTTONDOWN in client coordinates.
    await click(display, WIN.x + 10, WIN.y + 20);
    await proc.waitForOutput(/^lbuttondown 10 20$/, 10_000);
  }, 120_000);
});
