/** `panepipe hud TEXT`: a notification from scripts, seen through status and screenshots while it runs. */
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Client } from '../../client';
import type { Pixels } from '../helpers/png';
import { hexAt, screenWhen, screenshot } from '../helpers/screen';
import { CLI, sharedEngine, type TestEngine } from '../helpers/engine';

/** Poll an async check until it returns a value (not null). */
async function poll<T>(check: () => Promise<T | null>, detail: () => string = () => '', timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out ${detail()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const shared = sharedEngine();
const env = shared.env;
let engine: TestEngine;
let pp: Client;
beforeAll(() => ({ engine, client: pp } = shared));

async function hudSurfaces() {
  const status = await pp.status();
  const session = status.sessions.find((s) => s.name === 'panepipe hud');
  return status.surfaces.filter((s) => session && s.session === session.id);
}

describe('panepipe hud', () => {
  it('shows the text (fading in), keeps it for the timeout, removes it and exits 0', async () => {
    const background = await screenshot(pp);
    const started = Date.now();
    const proc = spawn(
      process.execPath,
      [CLI, 'hud', 'Build finished', '--timeout', '2500ms', '--anchor', 'bottom-left', '--background', '#ff0000', '--font-size', '24'],
      {
        env: env(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

    // While it runs: one visible HUD at the bottom-left of the primary monitor...
    const visible = await poll(
      async () => {
        const list = await hudSurfaces();
        return list.length === 1 && list[0]!.visible ? list : null;
      },
      () => err,
    );
    expect(visible[0]!.kind).toBe('hud');
    const monitors = await pp.monitors();
    const b = visible[0]!.bounds;
    expect(b.x).toBe(monitors[0]!.workArea.x + 20);
    expect(b.y + b.height).toBe(monitors[0]!.workArea.y + monitors[0]!.workArea.height - 20);
    // ...and its red background really is on screen once the fade-in is done.
    const [px, py] = [Math.round(b.x + 3), Math.round(b.y + b.height / 2)];
    const red = (shot: Pixels) => {
      const [r, g, bl] = shot.at(px, py);
      return r > 200 && g < 60 && bl < 60;
    };
    expect(red(await screenWhen(pp, red))).toBe(true);

    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    // Gone afterwards: no surface of it is left, and nothing of it on screen.
    await poll(async () => ((await hudSurfaces()).length === 0 ? true : null));
    expect((await pp.status()).sessions.map((s) => s.name)).not.toContain('panepipe hud');
    expect(hexAt(await screenWhen(pp, (shot) => hexAt(shot, px, py) === hexAt(background, px, py)), px, py)).toBe(hexAt(background, px, py));
  });

  it('--help lists the options and exit codes; bad usage is 2; no engine with --no-autostart is 3', () => {
    const help = spawnSync(process.execPath, [CLI, 'hud', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--timeout/);
    expect(help.stdout).toMatch(/Exit codes:/);
    for (const args of [[], ['a', 'b'], ['x', '--anchor', 'nowhere'], ['x', '--timeout', 'soon'], ['x', '--color', 'reddish'], ['x', '--bogus']]) {
      expect(spawnSync(process.execPath, [CLI, 'hud', ...args], { encoding: 'utf8', env: env() }).status).toBe(2);
    }
    const dir = path.join(engine.stateDir, 'nobody');
    const none = spawnSync(process.execPath, [CLI, 'hud', 'x', '--no-autostart'], {
      encoding: 'utf8',
      env: { ...process.env, PANEPIPE_ENDPOINT: path.join(dir, 'none.sock'), PANEPIPE_HOME: dir },
    });
    expect(none.status).toBe(3);
  });
});
