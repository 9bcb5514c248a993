import * as fs from 'node:fs';
import * as net from 'node:net';
import { isNamedPipe } from '../../protocol';

/** Thrown when a live engine already answers on the endpoint. */
export class EngineAlreadyRunning extends Error {
  constructor(readonly endpoint: string) {
    super(`an engine is already running at ${endpoint}`);
  }
}

const LOCK_STALE_MS = 5_000;

/**
 * Listen on the endpoint, taking over a stale Unix socket left by a dead
 * engine. Two engines racing for the same endpoint end with exactly one
 * listening; the other gets EngineAlreadyRunning.
 */
export async function listenExclusive(server: net.Server, endpoint: string): Promise<void> {
  try {
    await listen(server, endpoint);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
  }
  // Named pipes cannot go stale: libuv creates the first instance with FILE_FLAG_FIRST_PIPE_INSTANCE,
  // so EADDRINUSE means a live server owns the name (an engine, or a squatter its clients refuse).
  if (isNamedPipe(endpoint) || (await answers(endpoint))) throw new EngineAlreadyRunning(endpoint);
  await withLock(`${endpoint}.lock`, async () => {
    // Re-check under the lock: another engine may have taken over meanwhile.
    if (await answers(endpoint)) throw new EngineAlreadyRunning(endpoint);
    fs.rmSync(endpoint, { force: true });
    await listen(server, endpoint);
  });
}

/**
 * Windows only: after a successful listen on a named pipe, replaces the
 * pipe's default DACL (Everyone/Anonymous read, Administrators full, no
 * remote-client rejection) with one that admits only this user and denies
 * network logons (engine/platform/win32/pipeSecurity.ts). Returns a log line,
 * or null when there is nothing to do (not Windows, or a Unix socket). A
 * failure is a warning, not fatal: the token still guards the engine.
 */
export async function restrictPipeAccess(endpoint: string): Promise<{ level: 'info' | 'warn'; message: string } | null> {
  if (process.platform !== 'win32' || !isNamedPipe(endpoint)) return null;
  try {
    // Lazy: never loaded (nor koffi, nor advapi32.dll) off Windows.
    const { restrictPipeToCurrentUser } = require('../platform/win32/pipeSecurity') as typeof import('../platform/win32/pipeSecurity');
    const access = await restrictPipeToCurrentUser(endpoint);
    if (!access.networkDenied) {
      return {
        level: 'warn',
        message: `pipe restricted to this user (${access.readBack}), but remote clients are not denied: this engine runs under a network logon`,
      };
    }
    return { level: 'info', message: `pipe restricted to this user, network logons denied: ${access.readBack}` };
  } catch (err) {
    return { level: 'warn', message: `could not restrict the pipe's access, default security stays: ${(err as Error).message}` };
  }
}

function listen(server: net.Server, endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      // This user only, whatever the umask: the directory is verified, the socket made private too.
      if (!isNamedPipe(endpoint)) fs.chmodSync(endpoint, 0o600);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(endpoint);
  });
}

/** True if something accepts connections on the endpoint. */
export function answers(endpoint: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(endpoint);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function withLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_STALE_MS * 2;
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) throw err;
      breakStaleLock(lockPath);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}

function breakStaleLock(lockPath: string): void {
  try {
    if (Date.now() - fs.statSync(lockPath).mtimeMs > LOCK_STALE_MS) fs.rmSync(lockPath, { force: true });
  } catch {
    // Gone already: the next attempt takes it.
  }
}
