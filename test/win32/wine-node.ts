// Runs scripts under Windows node.exe in Wine. Output goes to files because
// node.exe under Wine fails with EBADF when stdout/stderr are pipes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toWindowsPath, wineEnv, type WineEnv } from './paths';

export interface SpawnWindowsNodeOptions {
  /** X display for the Wine process, e.g. from startXvfb(). */
  display: string;
  /** Extra environment for node.exe (Wine passes it through). */
  env?: NodeJS.ProcessEnv;
  /** Linux working directory (Wine maps it to Z:\...); default: the script's folder. */
  cwd?: string;
  /** Where stdout.txt / stderr.txt go; default: a fresh temp folder. */
  outDir?: string;
}

export interface WindowsNodeProcess {
  child: ChildProcess;
  stdoutPath: string;
  stderrPath: string;
  /** Resolves when the Wine process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readOutput(): { stdout: string; stderr: string };
  /** Polls stdout until a line matches; rejects on timeout or exit (with stderr in the message). */
  waitForOutput(match: RegExp | string, timeoutMs?: number): Promise<string>;
  /** SIGKILL (if still running) and wait for exit. */
  kill(): Promise<void>;
}

/** The environment node.exe needs under Wine, on top of the caller's. */
export function windowsNodeEnv(display: string, extra: NodeJS.ProcessEnv = {}, env: WineEnv = wineEnv()): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.NODE_OPTIONS; // Linux-side flags (e.g. --require of a Linux path) would break node.exe
  return {
    ...base,
    WINEPREFIX: env.prefix,
    WINEDEBUG: '-all',
    WINEDLLOVERRIDES: 'mscoree,mshtml=', // never offer to install Mono/Gecko
    DISPLAY: display,
    NODE_PATH: env.nodePath,
    ...extra,
  };
}

export function spawnWindowsNode(script: string, args: readonly string[], opts: SpawnWindowsNodeOptions): WindowsNodeProcess {
  const env = wineEnv();
  const outDir = opts.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'panepipe-wine-'));
  fs.mkdirSync(outDir, { recursive: true });
  const stdoutPath = path.join(outDir, 'stdout.txt');
  const stderrPath = path.join(outDir, 'stderr.txt');
  const outFd = fs.openSync(stdoutPath, 'w');
  const errFd = fs.openSync(stderrPath, 'w');
  const scriptArg = path.isAbsolute(script) ? toWindowsPath(script) : script;
  let child: ChildProcess;
  try {
    child = spawn(env.wine, [env.nodeExe, scriptArg, ...args], {
      cwd: opts.cwd ?? (path.isAbsolute(script) ? path.dirname(script) : process.cwd()),
      env: windowsNodeEnv(opts.display, opts.env, env),
      stdio: ['ignore', outFd, errFd],
    });
  } finally {
    fs.closeSync(outFd); // the child holds its own copies
    fs.closeSync(errFd);
  }

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });

  const readOutput = (): { stdout: string; stderr: string } => ({
    stdout: fs.readFileSync(stdoutPath, 'utf8'),
    stderr: fs.readFileSync(stderrPath, 'utf8'),
  });

  const waitForOutput = async (match: RegExp | string, timeoutMs = 60000): Promise<string> => {
    const test = (line: string): boolean => (typeof match === 'string' ? line.includes(match) : match.test(line));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const exitedBefore = done; // read output after noting exit, so nothing is missed
      const { stdout, stderr } = readOutput();
      const line = stdout.split(/\r?\n/).find(test);
      if (line !== undefined) return line;
      if (exitedBefore || Date.now() > deadline) {
        const why = exitedBefore ? 'process exited' : `timed out after ${timeoutMs} ms`;
        throw new Error(`waitForOutput(${String(match)}): ${why}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const kill = async (): Promise<void> => {
    if (!done) child.kill('SIGKILL');
    await exited;
  };

  return { child, stdoutPath, stderrPath, exited, readOutput, waitForOutput, kill };
}

/**
 * Kills every Wine process of the prefix and waits for wineserver to go.
 * The prefix's wineserver is shared: only call this when no other suite
 * uses the same prefix at the same time.
 */
export function wineserverKill(env: WineEnv = wineEnv()): void {
  const opts = { env: { ...process.env, WINEPREFIX: env.prefix }, stdio: 'ignore' as const, timeout: 30000 };
  spawnSync(env.wineserver, ['-k'], opts);
  spawnSync(env.wineserver, ['-w'], opts);
}
