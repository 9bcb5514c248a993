// A private X server per test suite, so Wine windows, screenshots and
// xdotool input never touch a real display or another suite's.
import { spawn } from 'node:child_process';

export interface XvfbOptions {
  width?: number;
  height?: number;
  depth?: number;
  timeoutMs?: number;
}

export interface Xvfb {
  /** Value for DISPLAY, e.g. ":3". */
  display: string;
  width: number;
  height: number;
  stop(): Promise<void>;
}

/**
 * Starts Xvfb on a free display. `-displayfd` makes Xvfb pick the number
 * itself and report it only once it accepts connections, so there is no
 * race over display numbers and no polling for readiness.
 */
export function startXvfb(opts: XvfbOptions = {}): Promise<Xvfb> {
  const width = opts.width ?? 1280;
  const height = opts.height ?? 800;
  const depth = opts.depth ?? 24;
  const timeoutMs = opts.timeoutMs ?? 15000;
  const child = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', `${width}x${height}x${depth}`, '-br', /* black root: deterministic background */ '-nolisten', 'tcp', '-noreset'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  return new Promise<Xvfb>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`Xvfb not ready after ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    const onEarlyExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}): ${stderr}`));
    };
    child.once('exit', onEarlyExit);
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    fd3.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeListener('exit', onEarlyExit);
      resolve({ display: `:${m[1]}`, width, height, stop });
    });
  });
}
