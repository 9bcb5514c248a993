// The short soak of test/reliability/soak.test.ts on the win32 backend under
// Wine: a clock HUD presented a few thousand times through
// UpdateLayeredWindow, the engine's memory as Windows reports it for
// node.exe (`status().rssBytes`), the HUD seen on screen with xwd. Runs only
// with PANEPIPE_WIN32_TESTS=1.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertWineReady, spawnWindowsNode, startXvfb, toWindowsPath, win32TestsEnabled, wineserverKill, type WindowsNodeProcess, type Xvfb } from './harness';
import { floorGrowthPerFrame } from '../helpers/memory';
import { DIST_CLIENT, pixelIs, screenUntil, startEngine, until, type Json } from './e2e';

const WARMUP_FRAMES = 500;
const MEASURED_FRAMES = 2500;
const SAMPLE_EVERY = 100;
/** The old engine grew by about 185 KiB a frame; Wine's heap is coarser than glibc's, hence more room than on headless. */
const MAX_GROWTH_PER_FRAME = 24 * 1024;
const HUD_BLUE = { r: 0x20, g: 0x40, b: 0x60 };

(win32TestsEnabled ? describe : describe.skip)('soak (win32 under Wine): memory stays flat under a steady frame rate', () => {
  let xvfb: Xvfb | undefined;
  let engine: WindowsNodeProcess | undefined;
  let clock: WindowsNodeProcess | undefined;
  let dir = '';

  beforeAll(async () => {
    assertWineReady();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panepipe-win32-soak-'));
    fs.mkdirSync(path.join(dir, 'state'));
    xvfb = await startXvfb({ width: 800, height: 600 });
    engine = await startEngine({
      display: xvfb.display,
      dir,
      stateDir: path.join(dir, 'state'),
      endpoint: `\\\\.\\pipe\\panepipe-win32-soak-${process.pid}`,
      name: 'engine',
    });
  }, 120_000);

  afterAll(async () => {
    await clock?.kill();
    await engine?.kill();
    wineserverKill();
    await xvfb?.stop();
  }, 60_000);

  test(`a clock HUD presented ${MEASURED_FRAMES} times grows by less than ${MAX_GROWTH_PER_FRAME / 1024} KiB a frame, and its memory goes when it leaves`, async () => {
    const out = path.join(dir, 'clock.jsonl');
    clock = spawnWindowsNode(
      path.join(__dirname, 'fixtures', 'clock-soak.js'),
      [
        toWindowsPath(DIST_CLIENT),
        `\\\\.\\pipe\\panepipe-win32-soak-${process.pid}`,
        toWindowsPath(path.join(dir, 'state')),
        toWindowsPath(out),
        String(WARMUP_FRAMES),
        String(MEASURED_FRAMES),
        String(SAMPLE_EVERY),
      ],
      { display: xvfb!.display, outDir: path.join(dir, 'clock') },
    );
    const phase = (name: string, timeoutMs: number): Promise<Json> =>
      until(
        `clock ${name}`,
        () => {
          const lines = fs.existsSync(out)
            ? fs
                .readFileSync(out, 'utf8')
                .split('\n')
                .filter(Boolean)
                .map((l) => JSON.parse(l) as Json)
            : [];
          const fatal = lines.find((l) => l.phase === 'fatal');
          if (fatal) throw new Error(`clock client: ${String(fatal.error)}`);
          return lines.find((l) => l.phase === name);
        },
        timeoutMs,
      );

    const idle = (await phase('idle', 60_000)).rss as number;
    const measured = await phase('measured', 240_000);
    expect(measured.presented).toBeGreaterThanOrEqual(WARMUP_FRAMES + MEASURED_FRAMES);
    await screenUntil(xvfb!.display, (img) => pixelIs(img, 2, 90, HUD_BLUE));

    const perFrame = floorGrowthPerFrame(measured.samples as number[], MEASURED_FRAMES);
    // eslint-disable-next-line no-console
    console.log(`soak: ${Math.round(perFrame)} B a frame over ${MEASURED_FRAMES} frames`);
    expect(perFrame).toBeLessThan(MAX_GROWTH_PER_FRAME);

    fs.writeFileSync(`${out}.go`, '');
    const after = (await phase('after', 60_000)).rss as number;
    await screenUntil(xvfb!.display, (img) => !pixelIs(img, 2, 90, HUD_BLUE));
    expect(after).toBeLessThan(idle * 1.5);
  }, 420_000);
});
