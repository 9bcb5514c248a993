import * as fs from 'node:fs';
import { ConnectionInfo } from '../../protocol';
import { writeFileAtomic } from './atomicFile';

/** Write the connection file, readable by this user only, into its verified directory. */
export function writeConnectionFile(file: string, info: ConnectionInfo): void {
  writeFileAtomic(file, JSON.stringify(info, null, 2), 0o600);
}

/** Remove the connection file if it is still ours (a newer engine may have replaced it). */
export function removeConnectionFile(file: string, pid: number): void {
  try {
    const current = ConnectionInfo.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (current.success && current.data.pid !== pid) return;
    fs.rmSync(file, { force: true });
  } catch {
    // Already gone or unreadable: nothing of ours to remove.
  }
}
