import { createHash } from 'node:crypto';
import { PanepipeError, type BatchEntry, type Command, type DrawOp, type TrayIcon } from '../../protocol';
import type { AttachedImage } from '../channel/messages';
import { BoundedCache } from '../render/boundedCache';
import { decodeImage, type DecodedImage } from '../render/decodeImage';

/**
 * Images arrive as their encoded bytes (the engine opens no file a client
 * names) and are decoded here, on the main thread; they travel to the engine
 * thread as pixels beside the command, so the engine thread never waits for
 * a decode.
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

/** Decoded images one session keeps: enough for an app's icons, never a large share of the engine. */
const DECODED_MAX_ENTRIES = 32;
const DECODED_MAX_BYTES = 64 * 1024 * 1024;

/**
 * One session's image loading. It keeps the images the session decoded
 * recently, by content, so an app re-sending the same icon decodes it once.
 * The cache is the session's own: bounded by bytes (a client sending large
 * images holds little), and gone when the session goes.
 */
export class AssetLoader {
  private readonly decoded = new BoundedCache<string, DecodedImage>(DECODED_MAX_ENTRIES, DECODED_MAX_BYTES);

  /** The command with tight copies of its image bytes, and the decoded pixels of every image in it. */
  async load<C extends Command>(cmd: C): Promise<{ cmd: C; images: AttachedImage[] }> {
    const images: AttachedImage[] = [];
    const loaded = await this.withImages(cmd, images);
    return { cmd: loaded as C, images };
  }

  /** Forget every decoded image (the session closed). */
  clear(): void {
    this.decoded.clear();
  }

  private async withImages(cmd: Command | BatchEntry, images: AttachedImage[]): Promise<Command | BatchEntry> {
    switch (cmd.op) {
      case 'setImage':
        return { ...cmd, data: await this.image(cmd.op, cmd.data, images) };
      case 'setDraw':
        return { ...cmd, ops: await Promise.all(cmd.ops.map((o) => this.drawOp(o, images))) };
      case 'createTray':
        return cmd.icon ? { ...cmd, icon: await this.trayIcon(cmd.op, cmd.icon, images) } : cmd;
      case 'setTrayIcon':
        return { ...cmd, icon: await this.trayIcon(cmd.op, cmd.icon, images) };
      case 'batch':
        return { ...cmd, commands: (await Promise.all(cmd.commands.map((e) => this.withImages(e, images)))) as BatchEntry[] };
      default:
        return cmd;
    }
  }

  private async drawOp(o: DrawOp, images: AttachedImage[]): Promise<DrawOp> {
    return o.type === 'image' ? { ...o, data: await this.image('setDraw', o.data, images) } : o;
  }

  private async trayIcon(op: string, icon: TrayIcon, images: AttachedImage[]): Promise<TrayIcon> {
    return 'rgba' in icon ? icon : { data: await this.image(op, icon.data, images) };
  }

  /** An image's bytes, decoded and recorded in `images` under that exact byte array. */
  private async image(op: string, bytes: Uint8Array, images: AttachedImage[]): Promise<Uint8Array> {
    // A tight copy: bytes decoded from a frame view the whole read buffer, which posting would copy entire.
    const data = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    try {
      images.push({ data, image: await this.decode(data) });
    } catch (err) {
      if (err instanceof PanepipeError) throw new PanepipeError(err.code, `${op}: ${err.message}`);
      throw err;
    }
    return data;
  }

  private async decode(data: Uint8Array): Promise<DecodedImage> {
    const key = createHash('sha256').update(data).digest('base64');
    const hit = this.decoded.get(key);
    if (hit) return hit;
    const decoded = await decodeImage(data);
    this.decoded.set(key, decoded, decoded.rgba.byteLength);
    return decoded;
  }
}
