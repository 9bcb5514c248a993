import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { FrameDecoder, PROTOCOL_VERSION, Refused, connectionFilePath, encodeFrame } from '../../protocol';
import { CLI, startEngine, tempStateDir } from '../helpers/engine';

const unixOnly = process.platform === 'win32' ? describe.skip : describe;

/** Send one hello and collect what comes back until the engine closes the pipe. */
function helloAnswer(endpoint: string, hello: unknown): Promise<{ answer: unknown; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const socket = net.connect(endpoint);
    const decoder = new FrameDecoder();
    let answer: unknown = null;
    let sentAt = 0;
    socket.on('connect', () => {
      sentAt = Date.now();
      socket.write(encodeFrame(hello));
    });
    socket.on('data', (d: Buffer) => {
      for (const f of decoder.push(d)) if (f.ok) answer ??= f.value;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ answer, closedAfterMs: Date.now() - sentAt }));
  });
}

unixOnly('access (Unix)', () => {
  it('a directory others may read but not write is used as it is; the socket and connection file are 0600', async () => {
    const stateDir = tempStateDir();
    fs.chmodSync(stateDir, 0o755);
    const engine = await startEngine(['--persistent'], stateDir);
    expect(fs.statSync(stateDir).mode & 0o777).toBe(0o755);
    expect(fs.statSync(engine.endpoint).mode & 0o777).toBe(0o600);
    expect(fs.statSync(connectionFilePath(engine.endpoint, { stateDir })).mode & 0o777).toBe(0o600);
    await engine.stop();
  });

  it('refuses to put its socket in a symlinked directory', () => {
    const real = tempStateDir();
    const link = path.join(tempStateDir(), 'link');
    fs.symlinkSync(real, link);
    const r = spawnSync(process.execPath, [CLI, 'engine', '--endpoint', path.join(link, 'e.sock'), '--state-dir', real, '--persistent'], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/will not use .*link: it is a symbolic link/);
  });
});

describe('access (handshake)', () => {
  it('a wrong token, a wrong protocol or a non-hello is refused with a reason and the pipe closed at once', async () => {
    const engine = await startEngine();
    const cases: Array<[unknown, string]> = [
      [{ hello: 'panepipe', protocol: PROTOCOL_VERSION, client: 'x', pid: 1, token: 'nope' }, 'authFailed'],
      [{ hello: 'panepipe', protocol: 999, client: 'x', pid: 1, token: 'nope' }, 'protocolMismatch'],
      [{ op: 'createHud', seq: 1, width: 10, height: 10 }, 'protocolMismatch'],
    ];
    for (const [hello, code] of cases) {
      const { answer, closedAfterMs } = await helloAnswer(engine.endpoint, hello);
      expect(Refused.parse(answer).refused).toBe(code);
      expect(closedAfterMs).toBeLessThan(1_000);
    }
    const c = await engine.connect();
    expect((await c.status()).sessions).toHaveLength(1);
    expect((await c.status()).surfaces).toHaveLength(0);
    await c.close();
    await engine.stop();
  });
});
