import { promises as fsp } from 'node:fs';
import { LIMITS, PanepipeError, type Command, type DrawOp, type TrayIcon } from '../../protocol';

/**
 * Image files named by path are read here, on the main thread, and travel
 * to the engine thread as bytes: the engine thread never does file I/O.
 */
export function needsAssets(cmd: Command): boolean {
  switch (cmd.op) {
    case 'setImage':
      return cmd.path !== undefined && cmd.data === undefined;
    case 'setDraw':
      return cmd.ops.some((o) => o.type === 'image' && o.path !== undefined && o.data === undefined);
    case 'createTray':
      return cmd.icon !== undefined && 'path' in cmd.icon;
    case 'setTrayIcon':
      return 'path' in cmd.icon;
    case 'batch':
      return cmd.commands.some((entry) => needsAssets({ ...entry, seq: 0 } as Command));
    default:
      return false;
  }
}

/** The command with every image path replaced by the file's bytes. Throws imageError. */
export async function loadAssets<C extends Command>(cmd: C): Promise<C> {
  switch (cmd.op) {
    case 'setImage':
      return { ...cmd, data: await readImage(cmd.op, cmd.path!) };
    case 'setDraw':
      return { ...cmd, ops: await Promise.all(cmd.ops.map((o) => loadDrawOp(o))) };
    case 'createTray':
      return cmd.icon ? { ...cmd, icon: await loadIcon(cmd.op, cmd.icon) } : cmd;
    case 'setTrayIcon':
      return { ...cmd, icon: await loadIcon(cmd.op, cmd.icon) };
    case 'batch': {
      const commands = await Promise.all(
        cmd.commands.map(async (entry) => (needsAssets({ ...entry, seq: 0 } as Command) ? loadAssets({ ...entry, seq: 0 } as Command) : entry)),
      );
      return { ...cmd, commands: commands.map((c) => {
        const { seq: _seq, ...entry } = c as Command;
        return entry;
      }) } as C;
    }
    default:
      return cmd;
  }
}

async function loadDrawOp(o: DrawOp): Promise<DrawOp> {
  if (o.type !== 'image' || o.path === undefined || o.data !== undefined) return o;
  return { ...o, data: await readImage('setDraw', o.path) };
}

async function loadIcon(op: string, icon: TrayIcon): Promise<TrayIcon> {
  return 'path' in icon ? { data: await readImage(op, icon.path) } : icon;
}

async function readImage(op: string, file: string): Promise<Uint8Array> {
  let size: number;
  try {
    size = (await fsp.stat(file)).size;
  } catch (err) {
    throw new PanepipeError('imageError', `${op}: cannot read image "${file}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (size > LIMITS.maxImageBytes) {
    throw new PanepipeError('limitExceeded', `${op}: limit exceeded: maxImageBytes is ${LIMITS.maxImageBytes} ("${file}" has ${size})`);
  }
  try {
    return await fsp.readFile(file);
  } catch (err) {
    throw new PanepipeError('imageError', `${op}: cannot read image "${file}": ${(err as Error).message}`);
  }
}
