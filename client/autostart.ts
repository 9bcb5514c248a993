import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NoEngineError, engineCommandFor } from './noEngine';

/** What autostart shows of an engine that exited: the end of its stderr. */
const STDERR_SHOWN = 4096;

/** An engine autostart spawned, watched until the client connects or gives up. */
export interface StartedEngine {
  /** The engine exited with an error before anyone connected: the error to throw, else null. */
  failure(): NoEngineError | null;
  /** Stop watching: the engine runs on by itself (its stderr file is removed where the OS allows). */
  release(): void;
}

/**
 * Spawn a detached engine, its stderr in a private temporary file so that an
 * engine which exits at once (a bad argument, no display) can say why. If
 * another engine wins the race, this one exits by itself with 0.
 */
export function startEngine(cli: string, endpoint: string, stateDir: string, extraArgs: string[]): StartedEngine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panepipe-autostart-'));
  const file = path.join(dir, 'stderr.txt');
  const fd = fs.openSync(file, 'w', 0o600);
  const args = [cli, 'engine', '--endpoint', endpoint, '--state-dir', stateDir, ...extraArgs];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'ignore', fd], windowsHide: true });
  fs.closeSync(fd);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  child.on('exit', (code, signal) => (exit = { code, signal }));
  child.on('error', () => (exit = { code: null, signal: null }));
  return {
    failure() {
      if (!exit || exit.code === 0) return null;
      const stderr = readTail(file);
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      return new NoEngineError(
        `the engine autostart started ${how} before answering at ${endpoint}${stderr ? `; it said:\n${stderr}` : ''}\n` +
          `(the command was: ${engineCommandFor(endpoint, stateDir)} ${extraArgs.join(' ')})`,
        { code: 'engineExited', endpoint, stateDir, exitCode: exit.code, stderr },
      );
    },
    release() {
      child.unref();
      child.removeAllListeners();
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        // Windows keeps a file open by the engine; the temporary folder is the OS's to clear.
      }
    },
  };
}

function readTail(file: string): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-STDERR_SHOWN).trim();
  } catch {
    return '';
  }
}
