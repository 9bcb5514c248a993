import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { freshEndpoint, type EngineLaunch } from './engine';
import { writeWithBackpressure } from './rawClient';

export type SinkMode = 'discard' | 'decode' | 'validate' | 'echo';
const MODE_BYTE: Record<SinkMode, string> = { discard: 'd', decode: 'm', validate: 'v', echo: 'e' };

/** A running transport-baseline process (see sinkProcess.ts). */
export class Sink {
  private constructor(
    readonly endpoint: string,
    private readonly stateDir: string,
    private readonly proc: ChildProcess,
  ) {}

  static async start(launch: EngineLaunch): Promise<Sink> {
    const { endpoint, stateDir } = freshEndpoint(launch.backend);
    const ready = path.join(stateDir, 'ready');
    const proc = spawn(launch.node, [path.join(__dirname, 'sinkProcess.js'), endpoint, ready], { stdio: 'ignore' });
    await waitForFile(ready, proc, 'sink');
    return new Sink(endpoint, stateDir, proc);
  }

  async connect(mode: SinkMode): Promise<SinkConnection> {
    const socket = net.connect(this.endpoint);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    socket.write(MODE_BYTE[mode]);
    return new SinkConnection(socket);
  }

  async stop(): Promise<void> {
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    await exited;
    fs.rmSync(this.stateDir, { recursive: true, force: true });
  }
}

export class SinkConnection {
  private waiter: ((d: Buffer) => void) | null = null;

  constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      const w = this.waiter;
      this.waiter = null;
      w?.(d);
    });
  }

  /** Push every chunk through the pipe; resolves when the sink has read all of it. Returns elapsed ms. */
  async push(chunks: readonly Buffer[]): Promise<number> {
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const header = Buffer.alloc(8);
    header.writeUInt32LE(0xffffffff, 0);
    header.writeUInt32LE(total, 4);
    const done = new Promise<Buffer>((r) => (this.waiter = r));
    const t0 = performance.now();
    this.socket.write(header);
    for (const c of chunks) await writeWithBackpressure(this.socket, c);
    await done;
    return performance.now() - t0;
  }

  /** One echo round trip of `frame`; returns ms. */
  async ping(frame: Buffer): Promise<number> {
    let got = 0;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const onData = (d: Buffer) => {
        got += d.length;
        if (got >= frame.length) {
          this.socket.off('data', onData);
          resolve();
        }
      };
      this.socket.on('data', onData);
      this.socket.write(frame);
    });
    return performance.now() - t0;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Wait for a child to create `file` (how helper processes say "listening": no piped stdio, see engine.ts). */
export async function waitForFile(file: string, proc: ChildProcess, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${what} exited with ${proc.exitCode ?? proc.signalCode}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
