import type * as net from 'node:net';
import { SOL_SOCKET, SO_PEERCRED, UCRED_BYTES, glibc } from './libc';

/**
 * The process at the other end of a connected Unix socket, as the kernel
 * recorded it when that process listened (SO_PEERCRED): it cannot be forged
 * by the peer. Null where it cannot be asked (not glibc, no descriptor).
 */
export function peerCredentials(socket: net.Socket): { pid: number; uid: number } | null {
  const libc = glibc();
  // Node keeps the descriptor on its internal handle; it has no public accessor.
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (!libc || typeof fd !== 'number' || fd < 0) return null;
  const cred = Buffer.alloc(UCRED_BYTES);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(UCRED_BYTES);
  if (libc.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cred, length) !== 0) return null;
  return { pid: cred.readInt32LE(0), uid: cred.readUInt32LE(4) };
}
