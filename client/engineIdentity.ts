import * as fs from 'node:fs';
import type * as net from 'node:net';
import * as path from 'node:path';
import { ConnectionInfo, connectionFilePath, isNamedPipe, type EndpointOptions } from '../protocol';
import { enginePeer } from '../engine/platform/trust/enginePeer';
import { UntrustedPathError, verifyOwnEntry, verifyPrivateDir } from '../engine/platform/trust/privateDir';
import { NoEngineError } from './noEngine';

/**
 * What answers at the endpoint is not provably this user's engine: the
 * directory, the connection file or the socket is someone else's, or the
 * process serving it is not the one the connection file names. Nothing was
 * sent to it, and autostart does not start an engine over it.
 */
export class EngineIdentityError extends Error {
  override readonly name = 'EngineIdentityError';
  readonly code = 'engineIdentity';
  constructor(
    message: string,
    /** The server is this user's, but not the pid in the connection file: a restart may be replacing the file. */
    readonly pidMismatch = false,
  ) {
    super(message);
  }
}

const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * The engine's connection file, read only after its directory, the file and
 * (for a Unix socket) the socket have been verified as this user's. A missing
 * or corrupt file means no engine (NoEngineError: autostart may start one,
 * whose file replaces it); anything foreign is an EngineIdentityError.
 */
export function readConnectionInfo(endpoint: string, opts: EndpointOptions): ConnectionInfo {
  const file = connectionFilePath(endpoint, opts);
  const text = trusted(() => {
    if (!verifyPrivateDir(path.dirname(file))) throw new NoEngineError(`no engine: ${path.dirname(file)} does not exist`);
    return readOwnFile(file);
  });
  let parsed: ReturnType<typeof ConnectionInfo.safeParse>;
  try {
    parsed = ConnectionInfo.safeParse(JSON.parse(text));
  } catch {
    throw new NoEngineError(`connection file ${file} is corrupt`);
  }
  if (!parsed.success) throw new NoEngineError(`connection file ${file} is invalid`);
  if (!isNamedPipe(endpoint)) trusted(() => verifyOwnEntry(lstatOrNoEngine(endpoint), endpoint, 'socket'));
  return parsed.data;
}

/**
 * Called once connected, before the hello: the OS's word on who serves the
 * endpoint must match the connection file (pid) and this user.
 */
export async function verifyEnginePeer(socket: net.Socket, endpoint: string, info: ConnectionInfo): Promise<void> {
  const peer = await enginePeer(socket, endpoint);
  if (peer.kind === 'unknown') return;
  if (peer.sameUser === false) {
    throw new EngineIdentityError(
      `the process serving ${endpoint} (pid ${peer.pid}) runs as another user, so panepipe sent it nothing; ` +
        'another user may be standing in for your engine. Stop it, or use an endpoint of your own (PANEPIPE_ENDPOINT)',
    );
  }
  if (peer.pid !== info.pid) {
    throw new EngineIdentityError(
      `the process serving ${endpoint} is pid ${peer.pid}, but its connection file names pid ${info.pid}; panepipe sent it nothing`,
      true,
    );
  }
}

function readOwnFile(file: string): string {
  const st = lstatOrNoEngine(file);
  if (st.isSymbolicLink()) throw new UntrustedPathError(file, 'it is a symbolic link', 'Remove it; the engine creates it again when it starts.');
  const fd = fs.openSync(file, fs.constants.O_RDONLY | O_NOFOLLOW);
  try {
    verifyOwnEntry(fs.fstatSync(fd), file, 'file');
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

function lstatOrNoEngine(file: string): fs.Stats {
  try {
    return fs.lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NoEngineError(`no engine: ${file} does not exist`);
    throw err;
  }
}

/** Runs a check, turning a refused path into the client's error. */
function trusted<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof UntrustedPathError) throw new EngineIdentityError(err.message);
    throw err;
  }
}
