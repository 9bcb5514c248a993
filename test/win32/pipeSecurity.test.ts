// The engine pipe's DACL under Wine (engine/platform/win32/pipeSecurity.ts):
// the real engine restricts its pipe right after listen; a Windows-node probe
// (fixtures/pipe-security-probe.js) reads the pipe's owner and DACL back
// through new client handles, before and after real clients connect (each
// connection makes libuv create another instance), and checks on its own
// pipe what Wine stores and what it enforces. Needs setup.sh and a build
// (npx tsc -p .). Runs only with PANEPIPE_WIN32_TESTS=1.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertWineReady, spawnWindowsNode, startXvfb, toWindowsPath, win32TestsEnabled, wineserverKill, type WindowsNodeProcess, type Xvfb } from './harness';
import { ROOT, WineClient, startEngine, type Json } from './e2e';
import { connectionFilePath } from '../../protocol';

const PROBE = path.join(__dirname, 'fixtures', 'pipe-security-probe.js');
const DIST = path.join(ROOT, 'dist');

/**
 * The DACL the engine sets, as read back. Windows shows it protected ("D:P")
 * and may map GA to FA (FILE_ALL_ACCESS); Wine drops the P and keeps GA.
 */
const restricted = (user: string): RegExp =>
  // A SID (S-1-5-…) has no regex metacharacters, so `user` may be a literal SID or a pattern.
  new RegExp(`D:P?\\(D;;(GA|FA);;;NU\\)\\(A;;(GA|FA);;;${user}\\)\\(A;;(GA|FA);;;SY\\)$`);

(win32TestsEnabled ? describe : describe.skip)('engine pipe DACL under Wine', () => {
  let xvfb: Xvfb | undefined;
  let engine: WindowsNodeProcess | undefined;
  const probes: WindowsNodeProcess[] = [];
  let dir = '';
  let stateDir = '';
  const endpoint = `\\\\.\\pipe\\panepipe-pipesec-test-${process.pid}`;

  /** Runs the probe to its end and returns its JSON lines. */
  const probe = async (name: string, args: string[]): Promise<Json[]> => {
    const p = spawnWindowsNode(PROBE, [toWindowsPath(DIST), ...args], { display: xvfb!.display, outDir: path.join(dir, name) });
    probes.push(p);
    await p.waitForOutput(/^\{"(done|fatal)"/, 90_000);
    const lines = p
      .readOutput()
      .stdout.split(/\r?\n/)
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Json);
    const fatal = lines.find((l) => l.fatal);
    if (fatal) throw new Error(`probe ${name}: ${String(fatal.fatal)}\n${p.readOutput().stderr}`);
    return lines;
  };
  const step = (lines: Json[], name: string): Json => {
    const line = lines.find((l) => l.step === name);
    if (!line) throw new Error(`probe printed no "${name}" step:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
    return line;
  };

  beforeAll(async () => {
    assertWineReady();
    if (!fs.existsSync(path.join(DIST, 'engine', 'platform', 'win32', 'pipeSecurity.js'))) {
      throw new Error('dist/ has no win32 pipeSecurity: build first (npx tsc -p .)');
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panepipe-win32-pipesec-'));
    stateDir = path.join(dir, 'state');
    fs.mkdirSync(stateDir);
    xvfb = await startXvfb({ width: 640, height: 480 });
    engine = await startEngine({ display: xvfb.display, dir, stateDir, endpoint, name: 'engine' });
  }, 120_000);

  afterAll(async () => {
    for (const p of probes) await p.kill();
    await engine?.kill();
    wineserverKill();
    await xvfb?.stop();
  }, 60_000);

  test('the engine restricts its pipe after listen and logs the DACL it reads back', () => {
    const log = fs.readFileSync(path.join(dir, 'engine.log'), 'utf8');
    expect(log).not.toMatch(/could not restrict the pipe/);
    const line = /pipe restricted to this user, network logons denied: (\S+)/.exec(log);
    expect(line?.[1]).toMatch(restricted('S-1-5-21-[-0-9]+'));
    // It is logged before "listening on", i.e. before the connection file exists.
    expect(log.indexOf('pipe restricted')).toBeLessThan(log.indexOf('listening on'));
  });

  test('clients of this user still connect, and the DACL holds for the instances libuv creates later', async () => {
    const lines = await probe('probe-engine', ['engine', endpoint, toWindowsPath(stateDir), '5']);
    const who = lines[0] as { user: string; network: boolean };
    expect(who.network).toBe(false);
    const dacl = restricted(who.user);
    expect(step(lines, 'before clients').sddl).toMatch(dacl);
    // Who serves the pipe, as a client asks before its hello: the engine's pid, run by this user.
    const engineInfo = JSON.parse(fs.readFileSync(connectionFilePath(endpoint, { stateDir }), 'utf8')) as { pid: number };
    expect(step(lines, 'pipe server').server).toEqual({ pid: engineInfo.pid, userSid: who.user, ownSid: who.user });
    const clients = lines.filter((l) => l.step === 'client');
    expect(clients).toHaveLength(5);
    for (const c of clients) expect(c).toMatchObject({ ok: true });
    const after = lines.filter((l) => l.step === 'after clients');
    expect(after).toHaveLength(3);
    for (const a of after) expect(a.sddl).toMatch(dacl);
    // The engine logged the same user's SID.
    expect(fs.readFileSync(path.join(dir, 'engine.log'), 'utf8')).toMatch(new RegExp(`\\(A;;(GA|FA);;;${who.user}\\)`));
  }, 120_000);

  test('a client checks who serves the pipe before its hello: the pid in the connection file, or nothing is sent', async () => {
    // The real connection file: the pipe's server is the engine it names, so the client connects.
    const good = await WineClient.start(xvfb!.display, dir, 'identity-good', endpoint, stateDir);
    expect(await good.call('status')).toMatchObject({ sessions: [expect.anything()] });
    await good.proc.kill();
    // The same file naming another process: the client refuses before sending anything.
    const forgedDir = path.join(dir, 'forged-state');
    fs.mkdirSync(forgedDir);
    const info = JSON.parse(fs.readFileSync(connectionFilePath(endpoint, { stateDir }), 'utf8')) as { pid: number };
    fs.writeFileSync(connectionFilePath(endpoint, { stateDir: forgedDir }), JSON.stringify({ ...info, pid: info.pid + 4 }));
    const refused = await WineClient.start(xvfb!.display, dir, 'identity-forged', endpoint, forgedDir).catch((e: unknown) => e as Error);
    expect(String(refused)).toMatch(
      new RegExp(`EngineIdentityError: the process serving .* is pid ${info.pid}, but its connection file names pid ${info.pid + 4}`),
    );
  }, 120_000);

  test('setPipeDacl stores the access list asked for, and every new instance of the pipe keeps it', async () => {
    const lines = await probe('probe-self', ['self', `\\\\.\\pipe\\panepipe-pipesec-self-${process.pid}`]);
    const who = lines[0] as { user: string };
    // libuv passes no security attributes; Wine then keeps no descriptor at all
    // (Windows would show the documented default: SY, BA, creator full; WD, AN read).
    expect(step(lines, 'libuv default').sddl).toBe('');
    const restrict = step(lines, 'restrict').result as { applied: string; readBack: string; networkDenied: boolean };
    expect(restrict.applied).toBe(`D:P(D;;GA;;;NU)(A;;GA;;;${who.user})(A;;GA;;;SY)`);
    expect(restrict.readBack).toMatch(restricted(who.user));
    expect(step(lines, 'this user connects').results).toEqual(Array(6).fill('connected'));
    expect(step(lines, 'after 6 connections').sddl).toMatch(restricted(who.user));
    // A DACL that denies a group of this token (IU), or grants only SYSTEM, is stored as asked.
    expect(step(lines, 'deny IU').set).toMatch(/D:P?\(D;;(GA|FA);;;IU\)/);
    expect(step(lines, 'only SY').set).toMatch(/D:P?\(A;;(GA|FA);;;SY\)$/);
  }, 120_000);

  // Wine stores access lists but never checks them (the probe's clients connect whatever the list says),
  // so refusals can only be seen on Windows itself.
  test.todo('a client the access list leaves out is refused (Windows only: Wine does not enforce access lists)');
});
