// Damage tracking under Wine: patches reach the screen through
// UpdateLayeredWindowIndirect's dirty rectangle. A sample of random scenes
// and changes (each change presented on its own) must leave on screen, as
// xwd reads it, the very pixels of a fresh window given the final scene.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { H, W, change, finalScene, type Change } from '../helpers/damageScenes';
import { assertWineReady, screenshot, startXvfb, win32TestsEnabled, wineserverKill, type DecodedImage, type WindowsNodeProcess, type Xvfb } from './harness';
import { WineClient, startEngine } from './e2e';

(win32TestsEnabled ? describe : describe.skip)('damage tracking under Wine', () => {
  let xvfb: Xvfb | undefined;
  let engine: WindowsNodeProcess | undefined;
  let client: WineClient | undefined;
  let dir = '';
  const endpoint = `\\\\.\\pipe\\panepipe-win32-damage-${process.pid}`;

  beforeAll(async () => {
    assertWineReady();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panepipe-win32-damage-'));
    const stateDir = path.join(dir, 'state');
    fs.mkdirSync(stateDir);
    xvfb = await startXvfb({ width: 640, height: 400 });
    engine = await startEngine({ display: xvfb.display, dir, stateDir, endpoint, name: 'engine' });
    client = await WineClient.start(xvfb.display, dir, 'client', endpoint, stateDir);
  }, 180_000);

  afterAll(async () => {
    await client?.proc.kill();
    await engine?.kill();
    wineserverKill();
    await xvfb?.stop();
  }, 60_000);

  const apply = (target: string, c: Change): Promise<unknown> => {
    const { op, key, ...fields } = c;
    return op === 'removeElement' ? client!.on(target, op, key) : client!.on(target, op, key, fields);
  };

  const pixelsPresented = async (): Promise<number> => ((await client!.call('status')) as { stats: { pixelsPresented: number } }).stats.pixelsPresented;

  const region = (img: DecodedImage, x: number): string[] => {
    const out: string[] = [];
    for (let row = 0; row < H; row++) for (let col = x; col < x + W; col++) out.push(JSON.stringify(img.pixel(col, row)));
    return out;
  };

  test('patched windows show the pixels of a full frame of the final scene', async () => {
    let partial = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(change, { minLength: 1, maxLength: 5 }),
        fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
        async (initial, steps) => {
          const c = client!;
          await c.call('createHud', [{ width: W, height: H, placement: { x: 0, y: 0 } }], { save: 'updated' });
          await c.call('createHud', [{ width: W, height: H, placement: { x: 2 * W, y: 0 } }], { save: 'fresh' });
          try {
            for (const ch of initial) await apply('updated', ch);
            await c.on('updated', 'show');
            await c.call('sync');
            for (const step of steps) {
              for (const ch of step) await apply('updated', ch);
              const before = await pixelsPresented();
              await c.call('sync');
              if ((await pixelsPresented()) - before < W * H) partial++;
            }
            for (const ch of finalScene([...initial, ...steps.flat()])) await apply('fresh', ch);
            await c.on('fresh', 'show');
            await c.call('sync');
            // Wine draws a layered window's update a little after the call returns.
            let shot = await screenshot(xvfb!.display);
            for (let i = 0; i < 50 && region(shot, 0).join() !== region(shot, 2 * W).join(); i++) {
              await new Promise((r) => setTimeout(r, 100));
              shot = await screenshot(xvfb!.display);
            }
            expect(region(shot, 0)).toEqual(region(shot, 2 * W));
          } finally {
            await c.on('updated', 'destroy');
            await c.on('fresh', 'destroy');
          }
        },
      ),
      { numRuns: 6, seed: 19 },
    );
    expect(partial).toBeGreaterThan(2);
  }, 600_000);
});
