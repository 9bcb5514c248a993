/**
 * Every example runs headless against a real engine, exits by itself with
 * --duration, and writes a screenshot showing its own pixels.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from '../../client';
import { decodePng, type Pixels } from '../helpers/png';
import { ROOT, startEngine, waitFor, type TestEngine } from '../helpers/engine';
import { screenWhen, screenshot } from '../helpers/screen';

const DIST = path.join(ROOT, 'dist', 'examples');
/** Helpers and the process multi-process-tray starts itself are not examples to run alone. */
const NOT_RUNNABLE = new Set(['common', 'multi-process-panel']);
const EXAMPLES = fs
  .readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => f.slice(0, -3))
  .filter((n) => !NOT_RUNNABLE.has(n))
  .sort();

/** What each example prints when its --simulate input arrived as events. */
const SIMULATED: Record<string, RegExp> = {
  countdown: /clicked startBtn \(running\)/,
  'sticky-notes': /hidden[\s\S]*shown[\s\S]*menu new/,
  'multi-process-tray': /visible false[\s\S]*visible true/,
};

let engine: TestEngine;
let pp: Client;
let background: Pixels;
beforeAll(async () => {
  engine = await startEngine();
  pp = await engine.connect();
  background = await screenshot(pp);
});
afterAll(async () => {
  await pp.close();
  await engine.stop();
});

function run(name: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const proc = spawn(process.execPath, [path.join(DIST, `${name}.js`), ...args], {
    env: { ...process.env, PANEPIPE_ENDPOINT: engine.endpoint, PANEPIPE_HOME: engine.stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => proc.once('exit', (code) => resolve({ code, out })));
}

/** Pixels that differ from the empty desktop. */
function changedPixels(shot: Pixels): number {
  let n = 0;
  for (let y = 0; y < shot.height; y += 2)
    for (let x = 0; x < shot.width; x += 2) {
      const a = shot.at(x, y);
      const b = background.at(x, y);
      if (Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) > 24) n++;
    }
  return n * 4;
}

describe('examples', () => {
  it('there are at least six, each with a README entry', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(6);
    const readme = fs.readFileSync(path.join(ROOT, 'examples', 'README.md'), 'utf8');
    for (const name of EXAMPLES) expect(readme).toContain(`${name}.ts`);
  });

  it.each(EXAMPLES)('%s runs headless, exits 0 by itself and screenshots its overlay', async (name) => {
    const file = path.join(engine.stateDir, `${name}.png`);
    const { code, out } = await run(name, ['--duration', '1200', '--screenshot', file, '--simulate']);
    if (code !== 0) throw new Error(`${name} exited ${code}:\n${out}`);
    expect(out).not.toMatch(/engine error/);
    const shot = await decodePng(fs.readFileSync(file));
    expect(shot.width).toBe(background.width);
    // Its overlays were on screen: thousands of pixels are not the desktop's.
    expect(changedPixels(shot)).toBeGreaterThan(2000);
    // --simulate really went through the engine's input path.
    if (SIMULATED[name]) expect(out).toMatch(SIMULATED[name]!);
    // And it left nothing behind (its connection closing removes its surfaces): not in the engine, not on screen.
    await waitFor(async () => (await pp.status()).surfaces.every((s) => s.session === pp.session));
    expect(changedPixels(await screenWhen(pp, (after) => changedPixels(after) === 0))).toBe(0);
  });

  it('--help works for each', async () => {
    for (const name of EXAMPLES) {
      const { code, out } = await run(name, ['--help']);
      expect(code).toBe(0);
      expect(out).toMatch(/--duration/);
    }
  });
});
