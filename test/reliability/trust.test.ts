import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { connect, EngineIdentityError } from '../../client';
import { connectionFilePath, resolveEndpoint, resolveStateDir } from '../../protocol';
import { CLI, FIXTURES, startEngine, tempStateDir, waitFor } from '../helpers/engine';
import { otherUser, type OtherUser } from '../helpers/otherUser';

/**
 * Local trust: what another account on the same machine can do to this
 * user's engine and clients. Each attack is tried as that account would:
 * the test runs as root (as CI does), creates a second local user, and runs
 * the attacker's processes as it.
 */

const unixOnly = process.platform === 'win32' ? describe.skip : describe;
const other = otherUser();
const withOtherUser = 'skip' in other ? describe.skip : describe;
if ('skip' in other) process.stdout.write(`trust.test: the second-user attacks are skipped: ${other.skip}\n`);

/** What a user without XDG_RUNTIME_DIR or any panepipe setting has, with the temp dir at `tmp`. */
function plainEnv(tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
  delete env.XDG_RUNTIME_DIR;
  delete env.PANEPIPE_HOME;
  delete env.PANEPIPE_ENDPOINT;
  return env;
}

/** A temp dir like /tmp: anyone may create entries in it, only their owner may remove them. */
function sharedTmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-trust-'));
  fs.chmodSync(dir, 0o1777);
  return dir;
}

/** A process of the other user running the fake engine fixture, and what it has printed. */
class Attacker {
  readonly events: Array<Record<string, unknown>> = [];
  private readonly proc: ChildProcess;

  constructor(user: OtherUser, args: string[]) {
    this.proc = spawn(process.execPath, [path.join(FIXTURES, 'fakeEngine.js'), ...args], {
      uid: user.uid,
      gid: user.gid,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    readline.createInterface({ input: this.proc.stdout! }).on('line', (line) => this.events.push(JSON.parse(line) as Record<string, unknown>));
  }

  async saw(key: string): Promise<Record<string, unknown>> {
    await waitFor(
      () => this.events.some((e) => key in e),
      10_000,
      () => JSON.stringify(this.events),
    );
    return this.events.find((e) => key in e)!;
  }

  stop(): void {
    this.proc.kill('SIGKILL');
  }
}

function runEngineCli(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'engine', '--persistent', ...args], { env, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stderr: r.stderr };
}

withOtherUser('local trust: another user on the same machine', () => {
  const attacker = other as OtherUser;
  const attackers: Attacker[] = [];
  const hire = (args: string[]) => {
    const a = new Attacker(attacker, args);
    attackers.push(a);
    return a;
  };
  afterEach(() => {
    for (const a of attackers.splice(0)) a.stop();
  });

  it('squats the default directory first: the engine refuses to start there, and a client sends the squatter nothing and starts nothing', async () => {
    const env = plainEnv(sharedTmp());
    const endpoint = resolveEndpoint({ env });
    const stateDir = resolveStateDir({ env });
    const squatter = hire([endpoint, connectionFilePath(endpoint, { env })]);
    await squatter.saw('listening');

    const engine = runEngineCli([], env);
    expect(engine.status).toBe(1);
    expect(engine.stderr).toContain(`panepipe will not use ${stateDir}: it belongs to uid ${attacker.uid}, not to you`);

    const started = Date.now();
    const err = await connect({ env, autostart: true, timeoutMs: 5_000, name: 'victim' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineIdentityError);
    expect((err as Error).message).toContain(`belongs to uid ${attacker.uid}`);
    // Refused at once, not after waiting for an autostarted engine.
    expect(Date.now() - started).toBeLessThan(4_000);
    // The squatter never even saw a connection, let alone the token or any text.
    await new Promise((r) => setTimeout(r, 300));
    expect(squatter.events.filter((e) => 'connection' in e)).toEqual([]);
  });

  it('plants links at the temp names an engine would write its connection file through: nothing of the victim is overwritten', async () => {
    const env = plainEnv(sharedTmp());
    const victimDir = tempStateDir();
    const important = path.join(victimDir, 'important.txt');
    fs.writeFileSync(important, 'only mine\n', { mode: 0o600 });
    const endpoint = path.join(tempStateDir(), 'engine.sock');
    // The engine is started with --endpoint and no --state-dir: the default state directory is the squatted one.
    const victim = spawn(process.execPath, [CLI, 'engine', '--persistent', '--endpoint', endpoint], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    victim.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => victim.once('exit', (code) => r(code)));
    // Where an engine that kept the connection file in the state directory would write it, under its old temp names.
    const digest = createHash('sha256').update(endpoint).digest('hex').slice(0, 16);
    const planted = hire(['--plant', path.join(resolveStateDir({ env }), `engine-${digest}.json`), important, String(victim.pid)]);
    await planted.saw('planted');

    const deadline = setTimeout(() => victim.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(deadline);
    expect(fs.readFileSync(important, 'utf8')).toBe('only mine\n');
    expect(code).toBe(1);
    expect(stderr).toContain(`belongs to uid ${attacker.uid}, not to you`);
  });

  it('a connection file or a socket that belongs to another user is refused before anything is sent', async () => {
    const engine = await startEngine(['--persistent']);
    const file = connectionFilePath(engine.endpoint, { stateDir: engine.stateDir });
    for (const entry of [file, engine.endpoint]) {
      fs.chownSync(entry, attacker.uid, attacker.gid);
      const err = await engine.connect({ timeoutMs: 2_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineIdentityError);
      expect((err as Error).message).toContain(`${entry}: it belongs to uid ${attacker.uid}`);
      fs.chownSync(entry, 0, 0);
    }
    const c = await engine.connect();
    expect((await c.status()).sessions).toHaveLength(1);
    await c.close();
    await engine.stop();
  });

  it('a socket in the victim’s own directory served by another user’s process is refused by the peer check (SO_PEERCRED), with nothing sent', async () => {
    if (process.platform !== 'linux') return;
    const attackerDir = path.join(sharedTmp(), 'a');
    const squatter = hire([path.join(attackerDir, 's.sock')]);
    const { pid } = (await squatter.saw('listening')) as { pid: number };
    // Everything the victim's client can check on disk is in order: its directory, socket and connection file.
    const victimDir = tempStateDir();
    const endpoint = path.join(victimDir, 'engine.sock');
    fs.renameSync(path.join(attackerDir, 's.sock'), endpoint);
    fs.chownSync(endpoint, 0, 0);
    const info = { endpoint, pid, token: 'x', protocol: 1, engineVersion: '0.0.0', backend: 'headless', startedAt: new Date().toISOString() };
    fs.writeFileSync(connectionFilePath(endpoint), JSON.stringify(info), { mode: 0o600 });

    const err = await connect({ endpoint, timeoutMs: 3_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineIdentityError);
    expect((err as Error).message).toContain(`(pid ${pid}) runs as another user`);
    const closed = await squatter.saw('close');
    expect(closed.bytes).toBe(0);
  });
});

unixOnly('local trust: directories and files this user must own alone', () => {
  it('a symlinked state directory is refused by the engine and by the client', async () => {
    const real = tempStateDir();
    const link = path.join(tempStateDir(), 'link');
    fs.symlinkSync(real, link);
    const refused = runEngineCli(['--state-dir', link, '--endpoint', path.join(tempStateDir(), 'e.sock')], process.env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`panepipe will not use ${link}: it is a symbolic link`);

    const engine = await startEngine(['--persistent'], real);
    const err = await connect({ endpoint: path.join(link, 'engine.sock'), timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineIdentityError);
    expect((err as Error).message).toContain('it is a symbolic link');
    await engine.stop();
  });

  it('a directory others can write to is refused, never repaired', async () => {
    const dir = tempStateDir();
    fs.chmodSync(dir, 0o770);
    const refused = runEngineCli(['--state-dir', dir, '--endpoint', path.join(dir, 'engine.sock')], process.env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`panepipe will not use ${dir}: other users can write to it (mode 0770)`);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o770);

    const engine = await startEngine(['--persistent']);
    fs.chmodSync(engine.stateDir, 0o777);
    const err = await engine.connect({ timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineIdentityError);
    expect((err as Error).message).toContain('other users can write to it (mode 0777)');
    fs.chmodSync(engine.stateDir, 0o700);
    await engine.stop();
  });

  it('a connection file naming another process than the one serving the socket is refused', async () => {
    if (process.platform !== 'linux') return;
    const engine = await startEngine(['--persistent']);
    const file = connectionFilePath(engine.endpoint, { stateDir: engine.stateDir });
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number };
    fs.writeFileSync(file, JSON.stringify({ ...info, pid: process.pid }), { mode: 0o600 });
    const err = await engine.connect({ timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineIdentityError);
    expect((err as Error).message).toContain(`is pid ${engine.proc.pid}, but its connection file names pid ${process.pid}`);
    await engine.stop();
  });

  it('a corrupt connection file means no engine: autostart starts one, whose file replaces it', async () => {
    const stateDir = tempStateDir();
    const endpoint = path.join(stateDir, 'engine.sock');
    fs.writeFileSync(connectionFilePath(endpoint), '{"endpoint": "trunc', { mode: 0o600 });
    const c = await connect({ endpoint, stateDir, autostart: true, idleExitMs: 200, timeoutMs: 15_000 });
    expect((await c.status()).sessions).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(connectionFilePath(endpoint), 'utf8')).endpoint).toBe(endpoint);
    await c.close();
  });
});
