import * as fs from 'node:fs';
import * as path from 'node:path';
import { Agent } from '../helpers/agent';
import { nextEvent, startEngine, tempStateDir } from '../helpers/engine';
import { rssOf } from '../helpers/memory';

const KILLS = Number(process.env.PANEPIPE_KILLS ?? 200);

describe('faults', () => {
  it(`SIGKILL of ${KILLS} clients with open surfaces leaves zero surfaces and flat engine memory`, async () => {
    const engine = await startEngine();
    const observer = await engine.connect({ name: 'observer' });
    const env = { PANEPIPE_ENDPOINT: engine.endpoint, PANEPIPE_HOME: engine.stateDir };
    const round = async (n: number) => {
      const agents = Array.from({ length: n }, () => new Agent(env));
      await Promise.all(agents.map((a) => a.waitLine((l) => l.ready === true)));
      for (const a of agents) {
        a.send({ do: 'request', id: 1, op: 'createHud', fields: { width: 64, height: 64 } });
        a.send({ do: 'request', id: 2, op: 'createPanel', fields: { width: 64, height: 64 } });
        a.send({ do: 'request', id: 3, op: 'createTray', fields: { tooltip: 'x' } });
      }
      const ids = await Promise.all(agents.map(async (a) => (await a.waitLine((l) => l.id === 2)).result as { id: string }));
      for (const [i, { id }] of ids.entries()) agents[i]!.send({ do: 'stream', id: 4, fields: { surface: id } });
      await Promise.all(agents.map((a) => a.waitLine((l) => l.id === 4)));
      await Promise.all(agents.map((a) => a.kill('SIGKILL')));
    };
    const batch = 10;
    await round(batch); // warm-up: caches, code paths, allocator
    const rssBefore = rssOf(engine.proc.pid!);
    for (let killed = batch; killed < KILLS; killed += batch) await round(batch);
    const deadline = Date.now() + 2_000;
    let status = await observer.status();
    while ((status.surfaces.length > 0 || status.sessions.length > 1) && Date.now() < deadline) status = await observer.status();
    expect(status.surfaces).toEqual([]);
    expect(status.sessions.map((s) => s.name)).toEqual(['observer']);
    const rssAfter = rssOf(engine.proc.pid!);
    console.log(`faults: ${KILLS} clients killed; engine RSS ${(rssBefore / 2 ** 20).toFixed(1)} MiB → ${(rssAfter / 2 ** 20).toFixed(1)} MiB`);
    expect(rssAfter - rssBefore).toBeLessThan(48 * 2 ** 20);
    await observer.close();
    await engine.stop();
  }, 180_000);

  it('an engine killed with SIGKILL: its clients get disconnected', async () => {
    const engine = await startEngine();
    const c = await engine.connect();
    await c.createHud({ width: 10, height: 10 });
    engine.proc.kill('SIGKILL');
    const ev = await nextEvent(c, 'disconnected');
    expect(ev.reason).toBe('connectionLost');
    await expect(c.sync()).rejects.toMatchObject({ code: 'shuttingDown' });
  });

  it('an unreadable or unwritable positions file means defaults and a logged warning', async () => {
    const stateDir = tempStateDir();
    fs.mkdirSync(path.join(stateDir, 'positions.json')); // a directory: neither readable nor writable as a file
    const engine = await startEngine(['--persistent', '--test-input'], stateDir);
    const c = await engine.connect();
    const panel = await c.createPanel({ width: 50, height: 50, placement: { x: 5, y: 5 }, draggable: true, positionKey: 'k' });
    expect(await panel.getPosition()).toMatchObject({ x: 5, y: 5 });
    panel.show();
    c.command('testPointer', { action: 'down', x: 10, y: 10 });
    c.command('testPointer', { action: 'up', x: 60, y: 60 });
    await nextEvent(c, 'surfaceMoved');
    await c.close();
    expect((await engine.stop()).code).toBe(0);
    expect(engine.output()).toMatch(/positions file .* unreadable, using defaults/);
    expect(engine.output()).toMatch(/could not save positions/);
  });
});
