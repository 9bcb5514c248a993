import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseArgs } from 'node:util';
import { connect, NoEngineError, type Client } from '../../client';
import { defaultBackend } from '../../engine/platform/backends';

export const DEMO_HELP = `Usage: panepipe demo [--out FILE.png] [--backend win32|headless]

Start a private engine and two client processes: a clock HUD, and a counter
panel with a tray icon. On headless it then clicks the panel's buttons,
drags it, clicks the tray icon and picks a menu item, prints the events each
client receives, writes a screenshot (default panepipe-demo.png) and stops.
On Windows the overlays stay on screen until Ctrl+C.
`;

const CLI = path.join(__dirname, '..', 'main.js');

/** Run one demo client process, echoing its output with a prefix; resolves when it prints its ready line. */
function startClient(script: string, name: string, env: NodeJS.ProcessEnv): { proc: ChildProcess; ready: Promise<void> } {
  const proc = spawn(process.execPath, [path.join(__dirname, script)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
      process.stdout.write(`[${name}] ${line}\n`);
      if (line.startsWith('ready')) resolve();
    });
  });
  return { proc, ready };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Connect to the engine this demo just started, once it listens. */
async function connectWhenUp(endpoint: string, stateDir: string): Promise<Client> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await connect({ endpoint, stateDir, name: 'demo driver' });
    } catch (err) {
      if (!(err instanceof NoEngineError) || Date.now() > deadline) throw err;
      await pause(50);
    }
  }
}

/** The simulated user: clicks, a drag and the tray, all through the engine's real hit testing. */
async function playHeadless(driver: Client): Promise<void> {
  const status = await driver.status();
  const panelSession = status.sessions.find((s) => s.name === 'demo panel')!;
  const panels = status.surfaces.filter((s) => s.session === panelSession.id && s.kind === 'panel' && s.visible);
  const panel = panels[0]!.bounds;
  const tray = status.surfaces.find((s) => s.session === panelSession.id && s.kind === 'tray')!;
  const click = (x: number, y: number) => driver.command('testPointer', { action: 'click', x, y });

  console.log('[demo] clicking "+1" three times, then dragging the panel by its title bar');
  for (let i = 0; i < 3; i++) click(panel.x + 60, panel.y + 102);
  driver.command('testPointer', { action: 'down', x: panel.x + 120, y: panel.y + 14 });
  driver.command('testPointer', { action: 'move', x: panel.x + 220, y: panel.y + 174 });
  driver.command('testPointer', { action: 'up', x: panel.x + 320, y: panel.y + 334 });
  await driver.sync();
  await pause(200);
  console.log('[demo] left-clicking the tray icon (toggles the note), then choosing "Reset counter" from its menu');
  driver.command('testTrayClick', { surface: tray.id, button: 'left' });
  driver.command('testTrayClick', { surface: tray.id, button: 'right' });
  driver.command('testTrayMenuSelect', { surface: tray.id, itemId: 'reset' });
  await driver.sync();
  await pause(400);
}

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, backend: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(DEMO_HELP);
    return 0;
  }
  const backend = values.backend ?? defaultBackend();
  const headless = backend === 'headless';
  const out = path.resolve(values.out ?? 'panepipe-demo.png');
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panepipe-demo-'));
  const endpoint = process.platform === 'win32' ? `\\\\.\\pipe\\panepipe-demo-${process.pid}` : path.join(stateDir, 'engine.sock');
  const env = { ...process.env, PANEPIPE_ENDPOINT: endpoint, PANEPIPE_HOME: stateDir };

  const engineArgs = [CLI, 'engine', '--backend', backend, '--persistent', ...(headless ? ['--test-input', '--monitors', '1280x720@96'] : [])];
  const engine = spawn(process.execPath, engineArgs, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const engineExit = new Promise<number | null>((r) => engine.once('exit', (code) => r(code)));
  const driver = await connectWhenUp(endpoint, stateDir).catch((err: Error) => {
    engine.kill();
    throw err;
  });
  console.log(`[demo] engine pid ${engine.pid} on ${endpoint} (${driver.backend})`);
  const clients = [startClient('clockClient.js', 'clock', env), startClient('panelClient.js', 'panel', env)];
  await Promise.all(clients.map((c) => c.ready));

  if (headless) {
    await playHeadless(driver);
    const shot = await driver.request('screenshot', {});
    fs.writeFileSync(out, shot.png);
    console.log(`[demo] wrote ${out} (${shot.width}×${shot.height})`);
  } else {
    console.log('[demo] the overlays are on screen; press Ctrl+C to stop');
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
  console.log('[demo] stopping the engine; every client is told and its surfaces go');
  await driver.stopEngine().catch(() => undefined);
  await Promise.all(clients.map((c) => new Promise((r) => (c.proc.exitCode !== null ? r(null) : c.proc.once('exit', r)))));
  const code = await engineExit;
  fs.rmSync(stateDir, { recursive: true, force: true });
  return code ?? 1;
}
