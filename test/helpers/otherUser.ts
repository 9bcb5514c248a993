import { execFileSync } from 'node:child_process';

const NAME = 'panepipe-other';

/** A second local account, for the tests of what another user can do. */
export interface OtherUser {
  name: string;
  uid: number;
  gid: number;
}

/**
 * The second account, created on first use (useradd, no home, no login).
 * Only root can create it and run processes as it; elsewhere the reason to
 * skip is returned instead.
 */
export function otherUser(): OtherUser | { skip: string } {
  if (process.platform === 'win32') return { skip: 'Windows: another account cannot be created and impersonated from a test' };
  if (process.getuid?.() !== 0) return { skip: 'needs root, to create a second local user and run processes as it (CI runs as root)' };
  try {
    return lookup();
  } catch {
    try {
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', NAME], { stdio: 'pipe' });
      return lookup();
    } catch (err) {
      return { skip: `could not create a second local user with useradd: ${(err as Error).message.split('\n')[0]}` };
    }
  }
}

function lookup(): OtherUser {
  const id = (flag: string) => Number(execFileSync('id', [flag, NAME], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  return { name: NAME, uid: id('-u'), gid: id('-g') };
}
