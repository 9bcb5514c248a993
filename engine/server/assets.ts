import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { LIMITS, PanepipeError, type BatchEntry, type Command, type DrawOp, type TrayIcon } from '../../protocol';
import type { AttachedImage } from '../core/renderer';
import { decodeImage, type DecodedImage } from '../render/decodeImage';

/**
 * Images are read (when named by path) and decoded here, on the main thread,
 * and travel to the engine thread as pixels beside the command: the engine
 * thread never does file I/O and never waits for a decode.
 */
export function needsAssets(cmd: Command | BatchEntry): boolean {
  switch (cmd.op) {
    case 'setImage':
      return true;
    case 'setDraw':
      return cmd.ops.some((o) => o.type === 'image');
    case 'createTray':
      return cmd.icon !== undefined && !('rgba' in cmd.icon);
    case 'setTrayIcon':
      return !('rgba' in cmd.icon);
    case 'batch':
      return cmd.commands.some(needsAssets);
    default:
      return false;
  }
}

/** The command with image paths replaced by bytes, and the decoded pixels of every image in it. */
export async function loadAssets<C extends Command>(cmd: C): Promise<{ cmd: C; images: AttachedImage[] }> {
  const images: AttachedImage[] = [];
  const loaded = await withImages(cmd, images);
  return { cmd: loaded as C, images };
}

async function withImages(cmd: Command | BatchEntry, images: AttachedImage[]): Promise<Command | BatchEntry> {
  switch (cmd.op) {
    case 'setImage':
      return { ...cmd, data: await image(cmd.op, cmd, images) };
    case 'setDraw':
      return { ...cmd, ops: await Promise.all(cmd.ops.map((o) => drawOp(o, images))) };
    case 'createTray':
      return cmd.icon ? { ...cmd, icon: await trayIcon(cmd.op, cmd.icon, images) } : cmd;
    case 'setTrayIcon':
      return { ...cmd, icon: await trayIcon(cmd.op, cmd.icon, images) };
    case 'batch':
      return { ...cmd, commands: (await Promise.all(cmd.commands.map((e) => withImages(e, images)))) as BatchEntry[] };
    default:
      return cmd;
  }
}

async function drawOp(o: DrawOp, images: AttachedImage[]): Promise<DrawOp> {
  return o.type === 'image' ? { ...o, data: await image('setDraw', o, images) } : o;
}

async function trayIcon(op: string, icon: TrayIcon, images: AttachedImage[]): Promise<TrayIcon> {
  if ('rgba' in icon) return icon;
  return { data: await image(op, 'path' in icon ? { path: icon.path } : { data: icon.data }, images) };
}

/** The bytes of an image source, decoded and recorded in `images` under that exact byte array. */
async function image(op: string, source: { path?: string | undefined; data?: Uint8Array | undefined }, images: AttachedImage[]): Promise<Uint8Array> {
  const bytes = source.data ?? (source.path !== undefined ? await readImage(op, source.path) : undefined);
  if (!bytes) throw new PanepipeError('invalidCommand', `${op}: an image needs "path" or "data"`);
  // A tight copy: bytes decoded from a frame view the whole read buffer, which posting would copy entire.
  const data = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  try {
    images.push({ data, image: await decodeCached(data) });
  } catch (err) {
    if (err instanceof PanepipeError) throw new PanepipeError(err.code, `${op}: ${err.message}`);
    throw err;
  }
  return data;
}

/** Recently decoded images by content: an app re-sending the same icon decodes it once. */
const recent = new Map<string, DecodedImage>();
const RECENT_MAX = 32;

async function decodeCached(data: Uint8Array): Promise<DecodedImage> {
  const key = createHash('sha256').update(data).digest('base64');
  const hit = recent.get(key);
  if (hit) {
    recent.delete(key);
    recent.set(key, hit);
    return hit;
  }
  const decoded = await decodeImage(data);
  recent.set(key, decoded);
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
  return decoded;
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
