import * as path from 'node:path';
import { isNamedPipe } from '../../protocol';
import { ensurePrivateDir } from '../platform/trust/privateDir';

/**
 * Creates and verifies every directory the engine writes to, before it
 * writes anything: the state directory (saved positions, a named pipe's
 * connection file) and a Unix socket's directory (the socket and its
 * connection file). Throws UntrustedPathError naming what is wrong.
 */
export function prepareStateDirs(opts: { endpoint: string; stateDir: string }): void {
  ensurePrivateDir(opts.stateDir);
  if (!isNamedPipe(opts.endpoint)) ensurePrivateDir(path.dirname(path.resolve(opts.endpoint)));
}
