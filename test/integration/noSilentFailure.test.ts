import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { CommandError, type Client } from '../../client';
import { decodePng } from '../helpers/png';
import { FIXTURES, drainEvents, sharedEngine } from '../helpers/engine';

const shared = sharedEngine(['--persistent', '--test-input', '--monitors', '800x600@96']);
let pp: Client;
beforeAll(() => ({ client: pp } = shared));

/** Run the failing-commands fixture against the shared engine: its exit code, stdout and stderr. */
function runFixture(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(FIXTURES, 'failingCommands.js'), ...args], { env: shared.env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('CSS colours, parsed in one place for client and engine', () => {
  const forms: Array<[string, [number, number, number, number]]> = [
    ['red', [255, 0, 0, 255]],
    ['RebeccaPurple', [102, 51, 153, 255]],
    ['#f80', [255, 136, 0, 255]],
    ['#0f08', [0, 255, 0, 136]],
    ['#3366cc', [0x33, 0x66, 0xcc, 255]],
    ['#ff000080', [255, 0, 0, 128]],
    ['rgb(0, 128, 255)', [0, 128, 255, 255]],
    ['rgba(255,0,0,1)', [255, 0, 0, 255]],
    ['rgba(0, 0, 255, 0.5)', [0, 0, 255, 128]],
    ['hsl(120, 100%, 50%)', [0, 255, 0, 255]],
    ['hsla(240 100% 50% / 0.5)', [0, 0, 255, 128]],
  ];

  it.each(forms)('draws %s as the colour it names', async (color, rgba) => {
    const hud = await pp.createHud({ width: 20, height: 20 });
    hud.setRect('r', { x: 0, y: 0, width: 20, height: 20, fill: color });
    hud.setText('t', { text: '', x: 0, y: 0, color });
    const errors = await pp.sync();
    expect(errors).toEqual([]);
    const shot = await decodePng((await hud.snapshot()).png);
    const [r, g, b, a] = shot.at(10, 10);
    // Snapshots are premultiplied-then-straightened: a half-transparent channel may be off by one.
    expect(Math.abs(r! - rgba[0]) + Math.abs(g! - rgba[1]) + Math.abs(b! - rgba[2])).toBeLessThanOrEqual(3);
    expect(a).toBe(rgba[3]);
    hud.destroy();
  });

  it('refuses what is not a colour, naming the field and the forms it takes, and draws nothing', async () => {
    const hud = await pp.createHud({ width: 20, height: 20 });
    hud.setRect('r', { x: 0, y: 0, width: 20, height: 20, fill: 'reddish' });
    const [err] = await pp.sync();
    expect(err).toBeInstanceOf(CommandError);
    expect(err!.code).toBe('invalidCommand');
    expect(err!.message).toMatch(/fill: a CSS colour/);
    expect(err!.message).toMatch(/rgb\(\)/);
    expect((await pp.listSurfaces()).find((s) => s.id === hud.id)!.elements).toBe(0);
    hud.destroy();
  });
});

describe('failed fire-and-forget commands are seen', () => {
  it('with no handler: one line on stderr naming op, seq, message and the line of the app that sent it', async () => {
    const run = await runFixture();
    expect(run.code).toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^panepipe: setRect \(seq \d+\) failed \[invalidCommand\]: setRect: fill: a CSS colour/);
    expect(lines[1]).toMatch(/failingCommands\.(js|ts):\d+:\d+/);
  });

  it('an error listener replaces the warning and gets the caller stack', async () => {
    const run = await runFixture('handler');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const got = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { op: string; code: string; stack: string });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ op: 'setRect', code: 'invalidCommand' });
    expect(got[0]!.stack.split('\n')[1]).toMatch(/failingCommands\.(js|ts):\d+:\d+/);
  });

  it('sync() reports the errors of the commands it covers, once', async () => {
    const seen: CommandError[] = [];
    const listener = (err: CommandError) => seen.push(err);
    pp.on('error', listener);
    const hud = await pp.createHud({ width: 20, height: 20 });
    const bad = pp.command('setOpacity', { surface: hud.id, opacity: 7 });
    const ok = pp.sync();
    const later = pp.command('setRect', { surface: hud.id, key: 'r', x: 0, y: 0, width: -1, height: 1 });
    const [first, second] = [await ok, await pp.sync()];
    expect(first.map((e) => e.seq)).toEqual([bad]);
    expect(second.map((e) => e.seq)).toEqual([later]);
    expect(seen.map((e) => e.seq)).toEqual([bad, later]);
    pp.off('error', listener);
    hud.destroy();
  });

  it('errors arrive in the order the commands were sent, whichever thread refused them', async () => {
    drainEvents(pp);
    const hud = await pp.createHud({ width: 20, height: 20 });
    const sent: number[] = [];
    for (let i = 0; i < 5; i++) {
      // Refused by the engine thread (no such surface), then by validation on the main thread.
      sent.push(pp.command('show', { surface: 's999999' }));
      sent.push(pp.command('setOpacity', { surface: hud.id, opacity: -1 }));
    }
    const errors = await pp.sync();
    expect(errors.map((e) => e.seq)).toEqual(sent);
    const events = drainEvents(pp).flatMap((ev) => (ev.type === 'error' ? [ev.seq] : []));
    expect(events).toEqual(sent);
    hud.destroy();
  });

  it('a command after close() is reported, not dropped', async () => {
    const client = await shared.engine.connect();
    const seen: CommandError[] = [];
    client.on('error', (err) => seen.push(err));
    await client.close();
    const seq = client.command('hide', { surface: 's1' });
    expect(seen.map((e) => [e.seq, e.code])).toEqual([[seq, 'shuttingDown']]);
  });
});
