import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { FIXTURES } from './engine';

/**
 * A client in its own process (test/fixtures/agent.ts), driven by JSON lines
 * on stdin; it answers each line and reports every event it receives.
 */
export class Agent {
  readonly proc: ChildProcess;
  readonly lines: Array<Record<string, unknown>> = [];
  private waiters: Array<() => void> = [];

  constructor(env: NodeJS.ProcessEnv, args: string[] = [], opts: { cwd?: string } = {}) {
    this.proc = spawn(process.execPath, [path.join(FIXTURES, 'agent.js'), ...args], {
      env: { ...process.env, ...env },
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    readline.createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  send(instruction: Record<string, unknown>): void {
    this.proc.stdin!.write(`${JSON.stringify(instruction)}\n`);
  }

  /** Wait for a line matching `pred`. */
  async waitLine(pred: (line: Record<string, unknown>) => boolean, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(pred);
      if (found) return found;
      if (this.proc.exitCode !== null) throw new Error(`agent exited (${this.proc.exitCode}) before the expected line; got ${JSON.stringify(this.lines)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`agent: timed out; got ${JSON.stringify(this.lines.slice(-5))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return new Promise((resolve) => {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) return resolve();
      this.proc.once('exit', () => resolve());
      this.proc.kill(signal);
    });
  }
}
