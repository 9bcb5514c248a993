import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';

/** Not on Windows, where an exclusive create (CREATE_NEW) already refuses an existing link. */
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * Write through a temporary file and rename, so readers never see half a
 * file. The temporary name is unguessable and created exclusively, never
 * through a link: nothing planted at a predictable name can redirect the
 * write. The directory itself must be verified first (platform/trust/privateDir).
 */
export function writeFileAtomic(file: string, content: string, mode: number): void {
  const tmp = `${file}.${randomBytes(8).toString('hex')}.tmp`;
  try {
    const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW, mode);
    try {
      fs.writeFileSync(fd, content);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    // Only a file this call created is removed: on EEXIST the name was someone else's.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') fs.rmSync(tmp, { force: true });
    throw err;
  }
}
