import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectionFilePath } from '../../protocol';
import { connect, type Client } from '../../client';
import { sleep } from './stats';

/** dist/cli/main.js, next to this compiled file's dist/bench/lib. */
export const CLI = path.resolve(__dirname, '..', '..', 'cli', 'main.js');

export type Backend = 'headless' | 'win32';

/** How to start engine processes; shared by every benchmark of one run. */
export interface EngineLaunch {
  backend: Backend;
  /** Node executable for the engine (default: this one; under Wine, the Windows node.exe). */
  node: string;
  /** Extra flags for node, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeFlags?: string[];
}

export interface BenchEngine {
  endpoint: string;
  stateDir: string;
  proc: ChildProcess;
  pid: number;
  /** ms from spawn to the connection file appearing (engine accepting connections). */
  startMs: number;
  connect(name?: string): Promise<Client>;
  token(): string;
  stop(): Promise<void>;
  output(): string;
}

export function freshEndpoint(_backend: Backend): { endpoint: string; stateDir: string } {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ppbench-'));
  // The same kind of pipe the engine uses by default: a named pipe on Windows (and under Wine), else a Unix socket.
  const endpoint = process.platform === 'win32' ? `\\\\.\\pipe\\panepipe-bench-${randomBytes(6).toString('hex')}` : path.join(stateDir, 'engine.sock');
  return { endpoint, stateDir };
}

/** Start `panepipe engine` as a child process on a private endpoint and wait until it accepts clients. */
export async function startEngine(launch: EngineLaunch, extraArgs: string[] = []): Promise<BenchEngine> {
  const { endpoint, stateDir } = freshEndpoint(launch.backend);
  const args = [
    ...(launch.nodeFlags ?? []),
    CLI,
    'engine',
    '--backend',
    launch.backend,
    '--endpoint',
    endpoint,
    '--state-dir',
    stateDir,
    '--persistent',
    ...extraArgs,
  ];
  // Output goes to a file, not a pipe: node.exe under Wine fails with EBADF on piped stdio.
  const logFile = path.join(stateDir, 'engine.log');
  const logFd = fs.openSync(logFile, 'a');
  const t0 = performance.now();
  const proc = spawn(launch.node, args, { stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const readLog = () => {
    try {
      return fs.readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const file = connectionFilePath(endpoint, { stateDir });
  const deadline = Date.now() + 30_000;
  // Poll at 1 ms: the start-up figure is only as fine as this.
  while (!fs.existsSync(file)) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`engine exited early:\n${readLog()}`);
    if (Date.now() > deadline) throw new Error(`engine did not start within 30 s:\n${readLog()}`);
    await sleep(1);
  }
  const startMs = performance.now() - t0;
  return {
    endpoint,
    stateDir,
    proc,
    pid: proc.pid!,
    startMs,
    connect: (name = 'bench') => connect({ endpoint, stateDir, name, timeoutMs: 30_000 }),
    token: () => (JSON.parse(fs.readFileSync(file, 'utf8')) as { token: string }).token,
    output: readLog,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      // Under Wine a file of the engine's may still be closing just after it exits.
      fs.rmSync(stateDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}

/** Start an engine, run `fn`, always stop it. */
export async function withEngine<T>(launch: EngineLaunch, fn: (engine: BenchEngine) => Promise<T>, extraArgs: string[] = []): Promise<T> {
  const engine = await startEngine(launch, extraArgs);
  try {
    return await fn(engine);
  } finally {
    await engine.stop();
  }
}
