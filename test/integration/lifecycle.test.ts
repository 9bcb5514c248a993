import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connect, type Client } from '../../client';
import { connectionFilePath } from '../../protocol';
import { Agent } from '../helpers/agent';
import { CLI, isAlive, startEngine, tempStateDir, waitFor, nextEvent } from '../helpers/engine';
import { hexAt, screenWhen, screenshot } from '../helpers/screen';

describe('lifecycle', () => {
  it("destroys a SIGKILLed client's surfaces within 100 ms and leaves others untouched", async () => {
    const engine = await startEngine();
    const observer = await engine.connect({ name: 'observer' });
    const background = await screenshot(observer);
    const own = await observer.createHud({ width: 40, height: 40 });
    const agent = new Agent({ PANEPIPE_ENDPOINT: engine.endpoint, PANEPIPE_HOME: engine.stateDir });
    await agent.waitLine((l) => l.ready === true);
    for (let i = 1; i <= 5; i++) agent.send({ do: 'request', id: i, op: 'createHud', fields: { width: 30, height: 30, placement: { x: 40 * i, y: 40 } } });
    const first = await agent.waitLine((l) => l.id === 1);
    const shown = (await agent.waitLine((l) => l.id === 5)).result as { id: string };
    agent.send({ do: 'command', id: 6, op: 'setRect', fields: { surface: shown.id, key: 'r', x: 0, y: 0, width: 30, height: 30, fill: '#ff00ff' } });
    agent.send({ do: 'command', id: 7, op: 'show', fields: { surface: shown.id } });
    const before = await screenWhen(observer, (shot) => hexAt(shot, 215, 55) === '#ff00ffff');
    expect(hexAt(before, 215, 55)).toBe('#ff00ffff');
    const { commands } = (await observer.status()).stats;
    agent.send({ do: 'stream', id: 8, fields: { surface: (first.result as { id: string }).id } });
    // The client dies mid-stream: wait until its stream reaches the engine.
    await waitFor(async () => (await observer.status()).stats.commands > commands + 1_000);
    expect((await observer.status()).surfaces).toHaveLength(6);

    await agent.kill('SIGKILL');
    const killedAt = Date.now();
    let remaining = 6;
    while (remaining > 1) {
      remaining = (await observer.status()).surfaces.length;
      if (Date.now() - killedAt > 2_000) break;
    }
    const elapsed = Date.now() - killedAt;
    expect(remaining).toBe(1);
    expect(elapsed).toBeLessThan(100);
    expect((await observer.listSurfaces()).map((s) => s.id)).toEqual([own.id]);
    // Gone from the screen too, not only from the engine's lists.
    const after = await screenWhen(observer, (shot) => hexAt(shot, 215, 55) === hexAt(background, 215, 55));
    expect(hexAt(after, 215, 55)).toBe(hexAt(background, 215, 55));
    await observer.close();
    await engine.stop();
  });

  it('destroys surfaces when a client closes or exits: their pixels leave the screen', async () => {
    const engine = await startEngine();
    const observer = await engine.connect();
    const background = hexAt(await screenshot(observer), 120, 120);
    const c = await engine.connect();
    const hud = await c.createHud({ width: 40, height: 40, placement: { x: 100, y: 100 } });
    hud.setRect('r', { x: 0, y: 0, width: 40, height: 40, fill: '#00ff00' });
    hud.show();
    await c.sync();
    expect(hexAt(await screenshot(observer), 120, 120)).toBe('#00ff00ff');
    await c.close();
    await waitForSurfaceCount(observer, 0);
    expect(hexAt(await screenWhen(observer, (shot) => hexAt(shot, 120, 120) === background), 120, 120)).toBe(background);

    const agent = new Agent({ PANEPIPE_ENDPOINT: engine.endpoint, PANEPIPE_HOME: engine.stateDir });
    await agent.waitLine((l) => l.ready === true);
    agent.send({ do: 'request', id: 1, op: 'createHud', fields: { width: 30, height: 30, placement: { x: 110, y: 110 } } });
    const { id } = (await agent.waitLine((l) => l.id === 1)).result as { id: string };
    agent.send({ do: 'command', id: 2, op: 'setRect', fields: { surface: id, key: 'r', x: 0, y: 0, width: 30, height: 30, fill: '#0000ff' } });
    agent.send({ do: 'command', id: 3, op: 'show', fields: { surface: id } });
    expect(hexAt(await screenWhen(observer, (shot) => hexAt(shot, 120, 120) === '#0000ffff'), 120, 120)).toBe('#0000ffff');
    expect((await observer.status()).surfaces).toHaveLength(1);
    agent.send({ do: 'exit' });
    await new Promise((r) => agent.proc.once('exit', r));
    await waitForSurfaceCount(observer, 0);
    expect(hexAt(await screenWhen(observer, (shot) => hexAt(shot, 120, 120) === background), 120, 120)).toBe(background);
    await observer.close();
    await engine.stop();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s shuts down cleanly: clients told, surfaces gone, exit 0', async (signal) => {
    const engine = await startEngine();
    const c = await engine.connect();
    await c.createHud({ width: 10, height: 10 });
    engine.proc.kill(signal);
    const ev = await nextEvent(c, 'disconnected');
    expect(ev.reason).toBe('engineShutdown');
    expect((await engine.exited).code).toBe(0);
    expect(fs.existsSync(connectionFilePath(engine.endpoint, { stateDir: engine.stateDir }))).toBe(false);
  });

  it('`panepipe stop` stops the engine and reports it', async () => {
    const engine = await startEngine();
    const c = await engine.connect();
    const r = spawnSync(process.execPath, [CLI, 'stop'], {
      env: { ...process.env, PANEPIPE_ENDPOINT: engine.endpoint, PANEPIPE_HOME: engine.stateDir },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('engine stopped');
    expect((await engine.exited).code).toBe(0);
    expect((await nextEvent(c, 'disconnected')).reason).toBe('engineShutdown');
    const again = spawnSync(process.execPath, [CLI, 'stop'], {
      env: { ...process.env, PANEPIPE_ENDPOINT: engine.endpoint, PANEPIPE_HOME: engine.stateDir },
      encoding: 'utf8',
    });
    expect(again.status).toBe(3);
  });

  it('an idle engine exits after its grace period; a persistent one stays', async () => {
    const [idle, persistent] = await Promise.all([startEngine(['--idle-exit-ms', '300']), startEngine(['--idle-exit-ms', '300', '--persistent'])]);
    const [c, p] = await Promise.all([idle.connect(), persistent.connect()]);
    // The persistent engine's last client leaves first, so its grace period has passed once the idle one's has.
    await p.close();
    await c.close();
    const closedAt = Date.now();
    expect((await idle.exited).code).toBe(0);
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(250);
    expect(persistent.proc.exitCode).toBeNull();
    await persistent.stop();
  });

  it('two clients autostarting at once end up on one engine', async () => {
    const stateDir = tempStateDir();
    const endpoint = path.join(stateDir, 'engine.sock');
    const env = { PANEPIPE_ENDPOINT: endpoint, PANEPIPE_HOME: stateDir, AGENT_AUTOSTART: '1', AGENT_IDLE_EXIT_MS: '500' };
    const agents = [new Agent(env), new Agent(env), new Agent(env)];
    await Promise.all(agents.map((a) => a.waitLine((l) => l.ready === true, 20_000)));
    for (const a of agents) a.send({ do: 'request', id: 1, op: 'status', fields: {} });
    const statuses = await Promise.all(agents.map((a) => a.waitLine((l) => l.id === 1)));
    const pids = new Set(statuses.map((s) => (s.result as { pid: number }).pid));
    expect(pids.size).toBe(1);
    const [pid] = [...pids];
    const sessions = (statuses[0]!.result as { sessions: unknown[] }).sessions;
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    // The engine was autostarted: once every client is gone it exits by itself.
    await Promise.all(agents.map((a) => a.kill('SIGKILL')));
    await waitFor(() => !isAlive(pid!), 5_000);
  });

  it.each([
    [['--font', '/no/such/font.ttf'], /--font: cannot read/],
    [['--monitors', '1920x1080@96,banana'], /--monitors: "banana" is not WIDTHxHEIGHT@DPI/],
    [['--monitors', '800x600+tray,800x600@144+tray'], /--monitors: "\+tray" may follow one monitor only/],
    [['--backend', 'amiga'], /--backend/],
  ])('`panepipe engine %j` is a usage error (exit 2) with a clear message', (args, message) => {
    const r = spawnSync(process.execPath, [CLI, 'engine', '--endpoint', path.join(tempStateDir(), 'e.sock'), ...args], { encoding: 'utf8', timeout: 15_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('refuses a client with the wrong token', async () => {
    const engine = await startEngine();
    const file = connectionFilePath(engine.endpoint, { stateDir: engine.stateDir });
    const original = fs.readFileSync(file, 'utf8');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.writeFileSync(file, JSON.stringify({ ...(JSON.parse(original) as object), token: 'f'.repeat(64) }));
    await expect(connect({ endpoint: engine.endpoint, stateDir: engine.stateDir })).rejects.toMatchObject({ code: 'authFailed' });
    fs.writeFileSync(file, original);
    const ok = await engine.connect();
    expect((await ok.status()).sessions).toHaveLength(1);
    await ok.close();
    await engine.stop();
  });
});

/** Poll the engine until it reports `count` surfaces in all (fails after 1 s). */
async function waitForSurfaceCount(client: Client, count: number): Promise<void> {
  const deadline = Date.now() + 1_000;
  while ((await client.status()).surfaces.length !== count) {
    if (Date.now() > deadline) throw new Error(`engine still has surfaces other than ${count}`);
  }
}
