import { constants, promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import { LIMITS, PanepipeError, overLimit } from '../protocol';

/** Opening never waits for a writer (a FIFO); the opened handle's own stat then decides. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Reading stops one byte past the limit: enough to know a file is over it. */
const READ_CAP = LIMITS.maxImageBytes + 1;

/**
 * Read an image file for the app, in its own process and relative to its
 * working directory. Refused before reading: anything but a regular file
 * (a FIFO would block, a device would never end) and a file over
 * `maxImageBytes`; and at most one byte past the limit is ever read, so a
 * file that grows meanwhile cannot overrun it.
 */
export async function readImageFile(op: string, file: string): Promise<Uint8Array> {
  const full = path.resolve(file);
  const named = full === file ? `"${file}"` : `"${file}" (${full})`;
  const unreadable = (why: string) => new PanepipeError('imageError', `${op}: cannot read image ${named}: ${why}`, op);
  const tooLarge = (detail: string) => new PanepipeError('limitExceeded', `${op}: ${overLimit('maxImageBytes')} (${named} ${detail})`, op);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(full, OPEN_FLAGS);
    const stat = await handle.stat();
    if (!stat.isFile()) throw unreadable(`not a regular file (${kindOf(stat)})`);
    if (stat.size > LIMITS.maxImageBytes) throw tooLarge(`has ${stat.size} bytes`);
    const bytes = await readUpTo(handle, stat.size);
    if (bytes.byteLength > LIMITS.maxImageBytes) throw tooLarge('grew past it while being read');
    return bytes;
  } catch (err) {
    if (err instanceof PanepipeError) throw err;
    throw unreadable((err as NodeJS.ErrnoException).code ?? (err as Error).message);
  } finally {
    await handle?.close();
  }
}

/** The file's bytes, at most READ_CAP of them; `expected` (its size when opened) sizes the first buffer. */
async function readUpTo(handle: fsp.FileHandle, expected: number): Promise<Uint8Array> {
  // One byte of room past `expected` shows whether the file grew.
  let buf = Buffer.allocUnsafe(Math.min(expected + 1, READ_CAP));
  let filled = 0;
  for (;;) {
    if (filled === buf.length) {
      if (filled === READ_CAP) break;
      const bigger = Buffer.allocUnsafe(Math.min(filled * 2, READ_CAP));
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const { bytesRead } = await handle.read(buf, filled, buf.length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buf.subarray(0, filled);
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

type Fields = Record<string, unknown>;

/** An image source that names a file. */
function namesFile(source: unknown): source is Fields & { path: string } {
  return typeof source === 'object' && source !== null && typeof (source as Fields).path === 'string';
}

/**
 * The fields of `op` with every image file they name read into `data`, or
 * null when they name none (nearly every command: no promise, no copy).
 * A file named twice in one command is read once.
 */
export function withImageBytes<T extends object>(op: string, fields: T): Promise<T> | null {
  return IMAGE_OPS.has(op) ? (new CommandImages().of(op, fields as Fields) as Promise<T> | null) : null;
}

/** The ops that can carry an image; the rest (nearly all traffic) are passed over at once. */
const IMAGE_OPS: ReadonlySet<string> = new Set(['setImage', 'setDraw', 'createTray', 'setTrayIcon', 'batch']);

class CommandImages {
  private readonly reads = new Map<string, Promise<Uint8Array>>();

  of(op: string, fields: Fields): Promise<Fields> | null {
    switch (op) {
      case 'setImage':
        return namesFile(fields) ? this.image(op, fields) : null;
      case 'setDraw': {
        const ops = fields.ops;
        if (!Array.isArray(ops) || !ops.some(namesFile)) return null;
        return Promise.all(ops.map((o: unknown) => (namesFile(o) ? this.image(op, o) : o))).then((read) => ({ ...fields, ops: read }));
      }
      case 'createTray':
      case 'setTrayIcon':
        return namesFile(fields.icon) ? this.image(op, fields.icon).then((icon) => ({ ...fields, icon })) : null;
      case 'batch': {
        const entries = fields.commands;
        if (!Array.isArray(entries)) return null;
        const reads = entries.map((e: Fields) => this.of(String(e?.op), e));
        if (reads.every((r) => r === null)) return null;
        return Promise.all(reads.map((r, i) => r ?? (entries[i] as Fields))).then((commands) => ({ ...fields, commands }));
      }
      default:
        return null;
    }
  }

  /** The source with its `path` replaced by the file's bytes. */
  private async image(op: string, source: Fields & { path: string }): Promise<Fields> {
    const { path: file, ...rest } = source;
    const key = path.resolve(file);
    let read = this.reads.get(key);
    if (!read) {
      read = readImageFile(op, file);
      this.reads.set(key, read);
    }
    return { ...rest, data: await read };
  }
}
