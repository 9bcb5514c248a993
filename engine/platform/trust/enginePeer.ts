import type * as net from 'node:net';
import { isNamedPipe } from '../../../protocol';

/** What the OS says about the process serving an endpoint. */
export type EnginePeer =
  | { kind: 'known'; pid: number; sameUser: boolean | null }
  /** This OS gives no answer (not Linux with glibc, not Windows): the socket's directory and owner are all that is checked. */
  | { kind: 'unknown' };

/**
 * The process at the other end of a client's fresh connection, asked before
 * the client sends anything: SO_PEERCRED on Linux, the pipe server's process
 * and its token on Windows. Loaded per OS, so neither binding loads elsewhere.
 */
export async function enginePeer(socket: net.Socket, endpoint: string): Promise<EnginePeer> {
  if (process.platform === 'win32' && isNamedPipe(endpoint)) {
    const { pipeServer } = require('../win32/pipeServer') as typeof import('../win32/pipeServer');
    const server = await pipeServer(endpoint);
    return { kind: 'known', pid: server.pid, sameUser: server.userSid === null ? null : server.userSid === server.ownSid };
  }
  if (process.platform === 'linux') {
    const { peerCredentials } = require('../linux/peerCredentials') as typeof import('../linux/peerCredentials');
    const peer = peerCredentials(socket);
    if (peer) return { kind: 'known', pid: peer.pid, sameUser: peer.uid === process.getuid!() };
  }
  return { kind: 'unknown' };
}
