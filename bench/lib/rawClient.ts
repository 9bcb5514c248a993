import * as net from 'node:net';
import { FrameBatch, FrameDecoder, PROTOCOL_VERSION, commandStreamCodec, encodeFrame } from '../../protocol';

/**
 * A bare connection speaking the wire protocol directly: real handshake,
 * then pre-encoded bytes. It takes the client library's per-command encode
 * cost out of the picture, so a benchmark sees what the engine can ingest.
 */
export class RawConnection {
  private readonly decoder = new FrameDecoder(Number.MAX_SAFE_INTEGER);
  private readonly waiting = new Map<number, (msg: Record<string, unknown>) => void>();
  private seq = 1_000_000_000;
  readonly events: Record<string, unknown>[] = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      for (const f of this.decoder.push(d)) {
        if (!f.ok) continue;
        const msg = f.value as Record<string, unknown>;
        if (msg.type === 'reply' && typeof msg.seq === 'number' && this.waiting.has(msg.seq)) {
          const resolve = this.waiting.get(msg.seq)!;
          this.waiting.delete(msg.seq);
          resolve(msg);
        } else this.events.push(msg);
      }
    });
    socket.on('error', () => undefined);
  }

  static async open(endpoint: string, token: string, name = 'bench-raw'): Promise<RawConnection> {
    const socket = net.connect(endpoint);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const decoder = new FrameDecoder(Number.MAX_SAFE_INTEGER);
    socket.write(encodeFrame({ hello: 'panepipe', protocol: PROTOCOL_VERSION, client: name, pid: process.pid, token }));
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        const frames = decoder.push(d);
        if (frames.length === 0) return;
        socket.off('data', onData);
        const first = frames[0]!;
        if (first.ok && (first.value as { welcome?: string }).welcome === 'panepipe') resolve();
        else reject(new Error(`handshake refused: ${JSON.stringify(first.ok ? first.value : first.message)}`));
      };
      socket.on('data', onData);
    });
    return new RawConnection(socket);
  }

  /** Send a request and resolve with the reply's result (throws on an error reply). */
  async request(op: string, fields: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const seq = ++this.seq;
    const reply = new Promise<Record<string, unknown>>((r) => this.waiting.set(seq, r));
    this.socket.write(encodeFrame({ op, seq, ...fields }));
    const msg = await reply;
    if (msg.error) throw new Error(`${op}: ${JSON.stringify(msg.error)}`);
    return msg.result as Record<string, unknown>;
  }

  send(op: string, fields: Record<string, unknown> = {}): void {
    this.socket.write(encodeFrame({ op, seq: ++this.seq, ...fields }));
  }

  /** A visible HUD with a background rect at (x, y), shown and applied before this resolves; its id. */
  async visibleHud(x: number, y: number, background: Record<string, unknown> = {}): Promise<string> {
    const { id } = (await this.request('createHud', { width: 300, height: 40, placement: { x, y } })) as { id: string };
    this.send('setRect', { surface: id, key: 'bg', x: 0, y: 0, width: 300, height: 40, fill: '#202030', ...background });
    this.send('show', { surface: id });
    await this.request('sync');
    return id;
  }

  /** Write pre-encoded bytes, honouring backpressure. */
  write(bytes: Buffer): Promise<void> {
    return writeWithBackpressure(this.socket, bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Resolves when the socket can take more (at once if its buffer is not full). */
export function writeWithBackpressure(socket: net.Socket, bytes: Buffer): Promise<void> {
  if (socket.write(bytes)) return Promise.resolve();
  return new Promise((resolve) => socket.once('drain', () => resolve()));
}

/**
 * `count` setText frames for one surface, pre-encoded into chunks of about
 * `chunkBytes`: by default as a connection's record stream, exactly as the
 * client library sends them (the first frame defines the shape, so the
 * chunks must be sent from the first, on a connection of their own or after
 * another stream's definitions). `maps`: plain msgpack maps.
 */
export function setTextChunks(
  surface: string,
  count: number,
  chunkBytes = 256 * 1024,
  opts: { firstSeq?: number; maps?: boolean } = {},
): { chunks: Buffer[]; frameBytes: number } {
  const batch = new FrameBatch(opts.maps ? undefined : commandStreamCodec);
  const chunks: Buffer[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    batch.add(setTextMessage(surface, (opts.firstSeq ?? 1) + i));
    if (batch.byteLength >= chunkBytes) {
      total += batch.byteLength;
      chunks.push(batch.take());
    }
  }
  total += batch.byteLength;
  if (!batch.isEmpty) chunks.push(batch.take());
  return { chunks, frameBytes: total / Math.max(1, count) };
}

/** The element every throughput figure updates. */
export const SET_TEXT_KEY = 'counter';

/** The one update every throughput figure uses: a short text element, replaced in place (what `setText` takes). */
export function setTextFields(seq: number): { text: string; x: number; y: number; fontSize: number; color: string } {
  return { text: `value ${seq % 1_000_000}`, x: 8, y: 8, fontSize: 14, color: '#ffffff' };
}

/** That update as a whole command, as the Client API sends it. */
export function setTextMessage(surface: string, seq: number): Record<string, unknown> {
  return { op: 'setText', seq, surface, key: SET_TEXT_KEY, ...setTextFields(seq) };
}
