/**
 * `panepipe host` driven by a Python winpane-host client (test/host/winpane_client.py),
 * line by line over stdio, against a real engine. Clicks, tray clicks and menu picks
 * are injected through the engine's test hooks by a separate TypeScript client.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Client } from '../../client';
import { CLI, ROOT, sharedEngine, type TestEngine } from '../helpers/engine';
import { decodePng, solidPng } from '../helpers/png';

const PY = path.join(ROOT, 'test', 'host', 'winpane_client.py');

const shared = sharedEngine();
const env = shared.env;
let engine: TestEngine;
let pp: Client;
beforeAll(() => ({ engine, client: pp } = shared));

async function hostSession() {
  const status = await pp.status();
  const session = status.sessions.find((s) => s.name === 'panepipe host');
  return { session, surfaces: status.surfaces.filter((s) => s.session === session?.id) };
}

describe('panepipe host with a Python winpane-host client', () => {
  it('creates, draws, shows, delivers winpane events and answers every error code', async () => {
    // A surface of another client first, so engine ids and the host's ids differ.
    const other = await pp.createHud({ width: 10, height: 10, placement: { x: 1500, y: 900 } });
    const py = spawn('python3', [PY, process.execPath, CLI, 'host'], { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    py.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => py.once('exit', (code) => resolve(code)));
    let result: Record<string, unknown> | undefined;
    let checkedBeforeEof = false;
    const trayId = async () => (await hostSession()).surfaces.find((s) => s.kind === 'tray')!.id;

    for await (const line of readline.createInterface({ input: py.stdout! })) {
      const [word, what, ...rest] = line.split(' ');
      if (word === 'RESULT') result = JSON.parse(line.slice('RESULT '.length));
      if (word !== 'WAIT') continue;
      if (what === 'click') pp.command('testPointer', { action: 'click', x: Number(rest[0]), y: Number(rest[1]) });
      if (what === 'drag') {
        const [x1, y1, x2, y2] = rest.map(Number) as [number, number, number, number];
        pp.command('testPointer', { action: 'down', x: x1, y: y1 });
        pp.command('testPointer', { action: 'move', x: x2, y: y2 });
        pp.command('testPointer', { action: 'up', x: x2, y: y2 });
      }
      if (what === 'tray') pp.command('testTrayClick', { surface: await trayId(), button: 'left' });
      if (what === 'menu') pp.command('testTrayMenuSelect', { surface: await trayId(), itemId: rest[1]! });
      if (what === 'eof') {
        // Before EOF the host's surfaces are there: a HUD, a panel and a tray (s3 was destroyed).
        const { session, surfaces } = await hostSession();
        expect(session).toBeDefined();
        expect(surfaces.map((s) => s.kind).sort()).toEqual(['hud', 'panel', 'tray']);
        // Engine ids are the engine's own: the host's "s1" is not the engine's s1.
        expect(surfaces.map((s) => s.id)).not.toContain(other.id);
        checkedBeforeEof = true;
        py.stdin!.write('\n');
      }
    }
    const code = await exited;
    if (code !== 0) throw new Error(`python client failed (${code}):\n${stderr}`);
    expect(checkedBeforeEof).toBe(true);
    expect(result).toMatchObject({
      position: { x: 100, y: 100 },
      clicked: { type: 'element_clicked', surface_id: 's2', key: 'btn' },
      moved: { type: 'surface_moved', surface_id: 's2', x: 220, y: 210 },
      tray_clicked: { type: 'tray_clicked', button: 'left', tray_id: 't1' },
      menu: { type: 'tray_menu_item_clicked', item_id: 2, tray_id: 't1' },
      errors: {
        '-32700': { jsonrpc: '2.0', error: { code: -32700 }, id: null },
        '-32600': { error: { code: -32600 }, id: 77 },
        '-32601': { error: { code: -32601, message: 'unknown method: no_such_method' } },
        '-32602': { error: { code: -32602 } },
        '-32603': { error: { code: -32603 } },
      },
    });
    // EOF on stdin ended the host, and its surfaces went with its connection.
    let after = await pp.status();
    const deadline = Date.now() + 5000;
    while (after.sessions.some((s) => s.name === 'panepipe host') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      after = await pp.status();
    }
    expect(after.sessions.find((s) => s.name === 'panepipe host')).toBeUndefined();
    expect(after.surfaces.map((s) => s.id)).toEqual([other.id]);
    other.destroy();
  });

  it('answers a whole session piped in at once, in order, and exits 0 at EOF', () => {
    const lines = [
      { jsonrpc: '2.0', method: 'create_hud', params: { x: 0, y: 0, width: 50, height: 20 }, id: 'a' },
      { jsonrpc: '2.0', method: 'set_text', params: { surface_id: 's1', key: 'k', text: 'hi', x: 0, y: 0, font_size: 12 }, id: 'b' },
      { jsonrpc: '2.0', method: 'show', params: { surface_id: 's1' } }, // a notification: no answer
      '',
      { jsonrpc: '2.0', method: 'get_position', params: { surface_id: 's1' }, id: 3 },
      [1, 2],
      { jsonrpc: '2.0', method: 'show', params: [], id: 4 },
      { jsonrpc: '2.0', method: 'show', params: { surface_id: 't1' }, id: 5 },
    ];
    const input = `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`;
    const r = spawnSync(process.execPath, [CLI, 'host'], { input, env: env(), encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toEqual([
      { jsonrpc: '2.0', result: { surface_id: 's1' }, id: 'a' },
      { jsonrpc: '2.0', result: {}, id: 'b' },
      { jsonrpc: '2.0', result: { x: 0, y: 0 }, id: 3 },
      { jsonrpc: '2.0', error: { code: -32600, message: expect.any(String) }, id: null },
      { jsonrpc: '2.0', error: { code: -32602, message: 'params must be an object' }, id: 4 },
      { jsonrpc: '2.0', error: { code: -32602, message: 'unknown surface_id: t1' }, id: 5 },
    ]);
    expect(r.stderr).toMatch(/panepipe host/);
  });

  it('reads image paths in the host process, relative to its working directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-host-'));
    fs.writeFileSync(path.join(dir, 'pic.png'), solidPng(10, 10, '#00ff00'));
    const request = (id: number, method: string, params: object) => JSON.stringify({ jsonrpc: '2.0', method, params, id });
    const input = [
      request(1, 'create_hud', { x: 0, y: 0, width: 10, height: 10 }),
      request(2, 'set_image', { surface_id: 's1', key: 'p', path: 'pic.png', x: 0, y: 0, width: 10, height: 10 }),
      request(3, 'snapshot', { surface_id: 's1' }),
      request(4, 'create_tray', { tooltip: 'icon', icon_path: 'pic.png' }),
      request(5, 'set_tray_icon', { surface_id: 't1', icon_path: 'pic.png' }),
      request(6, 'set_image', { surface_id: 's1', key: 'q', path: 'missing.png', x: 0, y: 0, width: 10, height: 10 }),
      request(7, 'create_tray', { tooltip: 'icon', icon_path: 'missing.png' }),
    ].join('\n');
    // The engine runs elsewhere (the repository's folder): only the host can find pic.png.
    const r = spawnSync(process.execPath, [CLI, 'host'], { input: `${input}\n`, cwd: dir, env: env(), encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; result?: Record<string, unknown>; error?: { code: number; message: string } });
    const byId = new Map(out.map((o) => [o.id, o]));
    expect(byId.get(2)).toMatchObject({ result: {} });
    const shot = await decodePng(Buffer.from(byId.get(3)!.result!.png_base64 as string, 'base64'));
    expect(shot.at(5, 5)).toEqual([0, 255, 0, 255]);
    expect(byId.get(4)).toMatchObject({ result: { surface_id: 't1' } });
    expect(byId.get(5)).toMatchObject({ result: {} });
    const missing = `"missing.png" (${path.join(dir, 'missing.png')}): ENOENT`;
    expect(byId.get(6)).toMatchObject({ error: { code: -32602, message: expect.stringContaining(missing) } });
    expect(byId.get(7)).toMatchObject({ error: { code: -32602, message: expect.stringContaining(missing) } });
  });

  it('--help documents the exit codes; no engine without autostart is exit 3', () => {
    const help = spawnSync(process.execPath, [CLI, 'host', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:/);
    const bad = spawnSync(process.execPath, [CLI, 'host', '--bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    const dir = path.join(engine.stateDir, 'nobody');
    const none = spawnSync(process.execPath, [CLI, 'host', '--no-autostart'], {
      input: '',
      encoding: 'utf8',
      env: { ...process.env, PANEPIPE_ENDPOINT: path.join(dir, 'none.sock'), PANEPIPE_HOME: dir },
    });
    expect(none.status).toBe(3);
  });
});
