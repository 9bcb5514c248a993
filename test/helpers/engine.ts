import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectionFilePath } from '../../protocol';
import { connect, type Client, type ConnectOptions, type PanepipeEvent } from '../../client';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
export const FIXTURES = path.join(ROOT, 'dist', 'test', 'fixtures');

/** A fresh private state dir (and so endpoint) per test engine. */
export function tempStateDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pp-'));
}

export interface TestEngine {
  stateDir: string;
  endpoint: string;
  proc: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  connect(opts?: ConnectOptions): Promise<Client>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Run `panepipe engine` as a real child process on its own endpoint and wait until it accepts clients. */
export async function startEngine(args: string[] = ['--persistent', '--test-input'], stateDir = tempStateDir()): Promise<TestEngine> {
  const endpoint = path.join(stateDir, 'engine.sock');
  const proc = spawn(process.execPath, [CLI, 'engine', '--endpoint', endpoint, '--state-dir', stateDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await waitFor(
    () => fs.existsSync(connectionFilePath(endpoint, { stateDir })) || proc.exitCode !== null,
    15_000,
    () => out,
  );
  if (proc.exitCode !== null) throw new Error(`engine exited early (${proc.exitCode}):\n${out}`);
  return {
    stateDir,
    endpoint,
    proc,
    exited,
    output: () => out,
    connect: (opts = {}) => connect({ endpoint, stateDir, name: 'jest', ...opts }),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5_000, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms ${detail()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type Ev = PanepipeEvent;

/** Wait for the next event of `type` (or matching `pred`), skipping others, polling the client's queue. */
export async function nextEvent<T extends Ev['type']>(client: Client, type: T, timeoutMs?: number): Promise<Extract<Ev, { type: T }>>;
export async function nextEvent<T extends Ev>(client: Client, pred: (ev: Ev) => ev is T, timeoutMs?: number): Promise<T>;
export async function nextEvent(client: Client, match: string | ((ev: Ev) => boolean), timeoutMs = 5_000): Promise<Ev> {
  const pred = typeof match === 'string' ? (ev: Ev) => ev.type === match : match;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (let ev = client.pollEvent(); ev; ev = client.pollEvent()) if (pred(ev)) return ev;
    if (Date.now() > deadline) throw new Error('timed out waiting for an event');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Every event waiting now. */
export function drainEvents(client: Client): NonNullable<ReturnType<Client['pollEvent']>>[] {
  const out = [];
  for (let ev = client.pollEvent(); ev; ev = client.pollEvent()) out.push(ev);
  return out;
}

/** One engine (and a client of it) shared by every test of a file; env() points child processes at it. */
export function sharedEngine(args?: string[]): { readonly engine: TestEngine; readonly client: Client; env(): NodeJS.ProcessEnv } {
  let engine: TestEngine;
  let client: Client;
  beforeAll(async () => {
    engine = await startEngine(args);
    client = await engine.connect();
  });
  afterAll(async () => {
    await client.close();
    await engine.stop();
  });
  return {
    get engine() {
      return engine;
    },
    get client() {
      return client;
    },
    env: () => ({ ...process.env, PANEPIPE_ENDPOINT: engine.endpoint, PANEPIPE_HOME: engine.stateDir }),
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
