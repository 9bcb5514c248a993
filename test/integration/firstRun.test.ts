import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { NoEngineError, connect } from '../../client';
import { CLI, startEngine, tempStateDir } from '../helpers/engine';

/** The first things a new user runs into, each said plainly. */
describe('first-run failures', () => {
  it('autostart fails as soon as the engine it started exits, with its stderr and exit code', async () => {
    const stateDir = tempStateDir();
    const endpoint = path.join(stateDir, 'e.sock');
    const started = Date.now();
    const err = await connect({ autostart: true, endpoint, stateDir, engineArgs: ['--bogus'], timeoutMs: 20_000 }).catch((e: unknown) => e);
    const tookMs = Date.now() - started;
    expect(err).toBeInstanceOf(NoEngineError);
    const e = err as NoEngineError;
    expect(e.code).toBe('engineExited');
    expect(e.exitCode).not.toBe(0);
    expect(e.stderr).toMatch(/--bogus/);
    expect(e.message).toMatch(/exited with code \d+/);
    expect(e.message).toMatch(/--bogus/);
    // Not the whole timeout: the engine's exit is noticed within moments of it.
    expect(tookMs).toBeLessThan(10_000);
  });

  it('NoEngineError has a code, names the endpoint and the state dir it looked in, and says what to run', async () => {
    const stateDir = tempStateDir();
    const endpoint = path.join(stateDir, 'nobody.sock');
    const err = (await connect({ endpoint, stateDir }).catch((e: unknown) => e)) as NoEngineError;
    expect(err).toBeInstanceOf(NoEngineError);
    expect(err.code).toBe('noEngine');
    expect(err.endpoint).toBe(endpoint);
    expect(err.stateDir).toBe(stateDir);
    expect(err.message.startsWith(`no panepipe engine answers at ${endpoint} (state dir ${stateDir})`)).toBe(true);
    expect(err.message).toContain(`npx panepipe engine --endpoint "${endpoint}" --state-dir "${stateDir}"`);
    expect(err.message).toContain('autostart: true');
  });

  it("a refused request's stack is the caller's, not the socket's", async () => {
    const engine = await startEngine();
    const client = await engine.connect();
    try {
      const err = (await client.createHud({ width: -1, height: 10 }).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/width/);
      const frames = err.stack!.split('\n').slice(1);
      expect(frames[0]).toContain('firstRun.test.ts');
      expect(err.stack).not.toMatch(/node:net|onMessage|Socket/);
    } finally {
      await client.close();
      await engine.stop();
    }
  });

  it.each([['status'], ['stop']])('`panepipe %s` finds an engine by --endpoint and --state-dir', async (command) => {
    const engine = await startEngine();
    const env = { ...process.env, PANEPIPE_ENDPOINT: '', PANEPIPE_HOME: '' };
    try {
      const r = spawnSync(process.execPath, [CLI, command, '--endpoint', engine.endpoint, '--state-dir', engine.stateDir], { env, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      if (command === 'stop') expect((await engine.exited).code).toBe(0);
    } finally {
      await engine.stop();
    }
  });

  it('`panepipe stop` with no engine there names the endpoint, the state dir and what to run (exit 3)', () => {
    const stateDir = tempStateDir();
    const endpoint = path.join(stateDir, 'nobody.sock');
    const r = spawnSync(process.execPath, [CLI, 'stop', '--endpoint', endpoint, '--state-dir', stateDir], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`no panepipe engine answers at ${endpoint} (state dir ${stateDir})`);
    expect(r.stderr).toContain('npx panepipe engine --endpoint');
  });
});
