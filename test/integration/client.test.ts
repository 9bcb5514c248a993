import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { connect } from '../../client';
import { FrameDecoder, Hello, PROTOCOL_VERSION, connectionFilePath, encodeFrame, type Welcome } from '../../protocol';
import { CLI, startEngine, tempStateDir, waitFor } from '../helpers/engine';

const CAPS: Welcome['capabilities'] = {
  backend: 'headless',
  captureExclusion: true,
  backdrop: false,
  pip: 'copy',
  tray: true,
  perMonitorDpi: true,
  testInput: false,
  backdrops: ['none'],
};

/** A stand-in engine on a real socket that records each read it gets after the handshake. */
async function recordingServer() {
  const stateDir = tempStateDir();
  const endpoint = path.join(stateDir, 'fake.sock');
  const reads: Buffer[] = [];
  let peer: net.Socket | null = null;
  const server = net.createServer((socket) => {
    peer = socket;
    const decoder = new FrameDecoder();
    let greeted = false;
    socket.on('data', (chunk: Buffer) => {
      if (greeted) return void reads.push(chunk);
      for (const f of decoder.push(chunk)) {
        if (f.ok && Hello.safeParse(f.value).success) {
          greeted = true;
          const welcome: Welcome = { welcome: 'panepipe', protocol: PROTOCOL_VERSION, engineVersion: 'x', session: 1, backend: 'headless', capabilities: CAPS };
          socket.write(encodeFrame(welcome));
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(endpoint, r));
  fs.writeFileSync(
    connectionFilePath(endpoint, { stateDir }),
    JSON.stringify({ endpoint, pid: process.pid, token: 't', protocol: 1, engineVersion: 'x', backend: 'headless', startedAt: new Date().toISOString() }),
    { mode: 0o600 },
  );
  return { endpoint, stateDir, reads, server, send: (m: unknown) => peer!.write(encodeFrame(m)) };
}

describe('client library', () => {
  it('sends every command issued in one tick in one write', async () => {
    const fake = await recordingServer();
    const client = await connect({ endpoint: fake.endpoint, stateDir: fake.stateDir });
    for (let i = 0; i < 500; i++) client.command('setText', { surface: 's1', key: 'k', text: `t${i}`, x: 0, y: 0 });
    const framesIn = (reads: Buffer[]) => new FrameDecoder().push(Buffer.concat(reads)).length;
    await waitFor(() => framesIn(fake.reads) === 500);
    // One command from a later tick marks the end: whatever arrived before it came from that tick.
    client.command('show', { surface: 's1' });
    await waitFor(() => framesIn(fake.reads) === 501);
    expect(fake.reads.map((read) => framesIn([read]))).toEqual([500, 1]);
    await client.close();
    fake.server.close();
  });

  it('bounds its event queue and reports the overflow as an event', async () => {
    const fake = await recordingServer();
    const client = await connect({ endpoint: fake.endpoint, stateDir: fake.stateDir, eventQueueCapacity: 10 });
    // The reply to the client's first request comes after the events: once it resolves, every event has arrived.
    const synced = client.sync();
    await waitFor(() => fake.reads.length > 0);
    for (let i = 0; i < 25; i++) fake.send({ type: 'elementHovered', surface: 's1', key: `k${i}` });
    fake.send({ type: 'reply', seq: 1, result: {} });
    await synced;
    const seen = [];
    for (let ev = client.pollEvent(); ev; ev = client.pollEvent()) seen.push(ev);
    expect(seen.slice(0, 10).map((e) => (e as { key: string }).key)).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`));
    expect(seen[10]).toEqual({ type: 'eventsDropped', count: 15 });
    expect(client.pollEvent()).toBeUndefined();
    await client.close();
    fake.server.close();
  });

  it('pollEvent never blocks, and close() reports disconnected', async () => {
    const engine = await startEngine();
    const client = await engine.connect();
    const tray = await client.createTray({});
    // An event the engine is about to send is not waited for: pollEvent answers now, with nothing.
    client.command('testTrayClick', { surface: tray.id, button: 'left' });
    expect(client.pollEvent()).toBeUndefined();
    await client.sync();
    expect(client.pollEvent()).toMatchObject({ type: 'trayClicked', tray: tray.id });
    await client.close();
    expect(client.pollEvent()).toMatchObject({ type: 'disconnected', reason: 'closed' });
    await expect(client.sync()).rejects.toMatchObject({ code: 'shuttingDown' });
    await engine.stop();
  });

  it('`panepipe status --json` reports clients and surfaces truthfully', async () => {
    const engine = await startEngine();
    const a = await engine.connect({ name: 'alpha' });
    const b = await engine.connect({ name: 'beta' });
    const ha = await a.createHud({ width: 10, height: 10 });
    const pb = await b.createPanel({ width: 20, height: 20 });
    const tb = await b.createTray({ tooltip: 'x' });
    pb.show();
    await b.sync();
    const env = { ...process.env, PANEPIPE_ENDPOINT: engine.endpoint, PANEPIPE_HOME: engine.stateDir };
    const r = spawnSync(process.execPath, [CLI, 'status', '--json'], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const status = JSON.parse(r.stdout) as {
      running: boolean;
      pid: number;
      sessions: Array<{ name: string; pid: number; surfaces: string[] }>;
      surfaces: Array<{ id: string; kind: string; visible: boolean }>;
    };
    expect(status.running).toBe(true);
    expect(status.pid).toBe(engine.proc.pid);
    expect(status.sessions.map((s) => [s.name, s.pid, s.surfaces])).toEqual([
      ['alpha', process.pid, [ha.id]],
      ['beta', process.pid, [pb.id, tb.id]],
    ]);
    expect(status.surfaces.map((s) => [s.id, s.kind, s.visible]).sort()).toEqual(
      [
        [ha.id, 'hud', false],
        [pb.id, 'panel', true],
        [tb.id, 'tray', true],
      ].sort(),
    );
    await a.close();
    await b.close();
    await engine.stop();
    const none = spawnSync(process.execPath, [CLI, 'status', '--json'], { env, encoding: 'utf8' });
    expect(none.status).toBe(3);
    expect(JSON.parse(none.stdout)).toEqual({ running: false });
  });
});
