import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { CLI } from '../helpers/engine';

export interface RpcReply {
  jsonrpc: '2.0';
  id: unknown;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}
export type RpcEvent = { type: string } & Record<string, unknown>;

/** `panepipe host` as a child process, spoken to line by line over stdio as a winpane-host program does. */
export class HostProcess {
  private readonly proc: ChildProcess;
  /** Every line read from stdout, parsed, in order. */
  readonly lines: Record<string, unknown>[] = [];
  private readonly waiters: (() => void)[] = [];
  private nextId = 1;
  private stderr = '';
  readonly exited: Promise<number | null>;

  constructor(env: NodeJS.ProcessEnv, opts: { cwd?: string } = {}) {
    this.proc = spawn(process.execPath, [CLI, 'host'], { env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve(code)));
    readline.createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Write one raw line. */
  send(line: string): void {
    this.proc.stdin!.write(`${line}\n`);
  }

  /** The next line at or after `from` that matches, waiting for it. */
  async lineAfter(from: number, match: (l: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<{ line: Record<string, unknown>; index: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.lines.findIndex((l, i) => i >= from && match(l));
      if (index >= 0) return { line: this.lines[index]!, index };
      if (Date.now() > deadline)
        throw new Error(`no matching line after ${timeoutMs} ms; stderr:\n${this.stderr}\nlines:\n${JSON.stringify(this.lines.slice(from))}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  /** A request with a fresh numeric id (or `id` as given); resolves to its reply. */
  async call(method: string, params?: unknown, id: unknown = this.nextId++): Promise<RpcReply> {
    const from = this.lines.length;
    this.send(JSON.stringify(params === undefined ? { jsonrpc: '2.0', method, id } : { jsonrpc: '2.0', method, params, id }));
    const key = JSON.stringify(id);
    return (await this.lineAfter(from, (l) => 'id' in l && JSON.stringify(l.id) === key)).line as unknown as RpcReply;
  }

  /** A call that must succeed: its result. */
  async ok(method: string, params?: unknown): Promise<Record<string, unknown>> {
    const reply = await this.call(method, params);
    if (reply.error) throw new Error(`${method} failed: ${reply.error.code} ${reply.error.message}`);
    return reply.result!;
  }

  /** A new surface's id. */
  async create(method: string, params: unknown): Promise<string> {
    return (await this.ok(method, params)).surface_id as string;
  }

  /** Events received so far (from line `from` on). */
  events(from = 0): RpcEvent[] {
    return this.lines
      .slice(from)
      .filter((l) => l.method === 'event')
      .map((l) => l.params as RpcEvent);
  }

  async event(match: (e: RpcEvent) => boolean, from = 0): Promise<RpcEvent> {
    const { line } = await this.lineAfter(from, (l) => l.method === 'event' && match(l.params as RpcEvent));
    return line.params as RpcEvent;
  }

  async close(): Promise<number | null> {
    this.proc.stdin!.end();
    return this.exited;
  }
}
