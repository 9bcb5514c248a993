import * as fs from 'node:fs';

/**
 * The directories panepipe keeps its socket, connection file and saved
 * positions in must be this user's alone: whoever can write there can put a
 * fake engine in front of every client, or plant links that make the engine
 * write through them. The engine (which creates them) and the client (which
 * only reads) apply the same check, as tmux and ssh-agent do for their
 * socket directories: the directory itself, not a symbolic link, owned by
 * this user, writable by nobody else. A directory that fails is refused,
 * never repaired: changing its mode would not remove what someone else put
 * in it. On Windows the per-user profile's access list does this job; only
 * the link check applies.
 */
export class UntrustedPathError extends Error {
  override readonly name = 'UntrustedPathError';
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`panepipe will not use ${path}: ${problem}. ${fix}`);
  }
}

const ELSEWHERE = 'or set PANEPIPE_HOME (or XDG_RUNTIME_DIR) to a directory of your own';

/**
 * Verifies an existing directory. Returns false when it does not exist
 * (nothing to trust or distrust yet); throws UntrustedPathError when it
 * exists and fails the check.
 */
export function verifyPrivateDir(dir: string): boolean {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (st.isSymbolicLink()) throw new UntrustedPathError(dir, 'it is a symbolic link', `Use the directory it points to, if it is yours, ${ELSEWHERE}.`);
  if (!st.isDirectory()) throw new UntrustedPathError(dir, 'it is not a directory', `Remove it, ${ELSEWHERE}.`);
  const uid = currentUid();
  if (uid === null) return true;
  if (st.uid !== uid) {
    throw new UntrustedPathError(
      dir,
      `it belongs to uid ${st.uid}, not to you (uid ${uid}); another user may have created it to stand in for your engine`,
      `Have it removed (it is not yours to trust), ${ELSEWHERE}.`,
    );
  }
  if ((st.mode & 0o022) !== 0) {
    throw new UntrustedPathError(
      dir,
      `other users can write to it (mode ${modeString(st.mode)})`,
      `Check nothing in it is foreign, then run: chmod 700 '${dir}'.`,
    );
  }
  return true;
}

/** Creates the directory (and missing parents) for this user only, then verifies it. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  verifyPrivateDir(dir);
}

/**
 * Verifies a file or socket inside a verified directory: not a link, of the
 * expected kind, this user's, and (for files holding secrets) private.
 */
export function verifyOwnEntry(st: fs.Stats, file: string, kind: 'file' | 'socket'): void {
  const isKind = kind === 'file' ? st.isFile() : st.isSocket();
  if (!isKind) throw new UntrustedPathError(file, `it is not a ${kind}`, 'Remove it; the engine creates it again when it starts.');
  const uid = currentUid();
  if (uid === null) return;
  if (st.uid !== uid) {
    throw new UntrustedPathError(file, `it belongs to uid ${st.uid}, not to you (uid ${uid})`, 'Have it removed; the engine creates it again when it starts.');
  }
  if (kind === 'file' && (st.mode & 0o077) !== 0) {
    throw new UntrustedPathError(
      file,
      `other users can read or write it (mode ${modeString(st.mode)})`,
      'Remove it; the engine creates it again, readable by you only.',
    );
  }
}

/** This process's uid, or null where ownership is not POSIX (Windows). */
function currentUid(): number | null {
  return process.platform === 'win32' || typeof process.getuid !== 'function' ? null : process.getuid();
}

function modeString(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
