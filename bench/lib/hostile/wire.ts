import * as net from 'node:net';
import type { Packr } from 'msgpackr';
import { FRAME_HEADER_BYTES, FrameDecoder, PROTOCOL_VERSION, encodeFrame } from '../../../protocol';

/** A frame with a header that claims `claimed` body bytes, whatever follows. */
export function header(claimed: number): Buffer {
  const h = Buffer.alloc(FRAME_HEADER_BYTES);
  h.writeUInt32LE(claimed, 0);
  return h;
}

/** A whole frame around an encoded body. */
export function frameOf(body: Uint8Array): Buffer {
  return Buffer.concat([header(body.length), body]);
}

/** What an attacker saw of the engine's answer: errors it was given, and whether and why it was cut off. */
export interface Outcome {
  errors: { code: string; message: string }[];
  /** The engine closed the connection. */
  disconnected: boolean;
  /** The last thing the engine said before closing (a refusal, a goodbye), if anything. */
  reason?: string;
  /** Longest error message received, bytes. */
  longestErrorBytes: number;
}

/**
 * One hostile connection, speaking the wire by hand: it records every error
 * (reply errors and error events) and the engine closing it, and sends
 * whatever bytes it is told to, without the client library's checks.
 */
export class HostileConnection {
  readonly outcome: Outcome = { errors: [], disconnected: false, longestErrorBytes: 0 };
  private readonly decoder = new FrameDecoder(Number.MAX_SAFE_INTEGER);
  private readonly waiting = new Map<number, (msg: Record<string, unknown>) => void>();
  private seq = 0;
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      for (const f of this.decoder.push(d)) if (f.ok) this.onMessage(f.value as Record<string, unknown>);
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.outcome.disconnected = true;
        for (const resolveReply of this.waiting.values()) resolveReply({ error: { code: 'disconnected', message: 'connection closed' } });
        this.waiting.clear();
        resolve();
      }),
    );
  }

  /** Connect without saying anything. */
  static async open(endpoint: string): Promise<HostileConnection> {
    const socket = net.connect(endpoint);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new HostileConnection(socket);
  }

  /** Connect and authenticate; resolves after the welcome. */
  static async authenticated(endpoint: string, token: string): Promise<HostileConnection> {
    const c = await HostileConnection.open(endpoint);
    const welcome = new Promise<void>((resolve, reject) => {
      c.onFirst = (m) => ((m as { welcome?: string }).welcome === 'panepipe' ? resolve() : reject(new Error(`refused: ${JSON.stringify(m)}`)));
    });
    c.socket.write(encodeFrame({ hello: 'panepipe', protocol: PROTOCOL_VERSION, client: 'hostile', pid: process.pid, token }));
    await welcome;
    return c;
  }

  private onFirst: ((m: unknown) => void) | null = null;

  private onMessage(msg: Record<string, unknown>): void {
    if (this.onFirst) {
      const first = this.onFirst;
      this.onFirst = null;
      first(msg);
      return;
    }
    if ('refused' in msg) this.outcome.reason = `refused (${String(msg.refused)}): ${String(msg.reason)}`;
    if (msg.type === 'goodbye') this.outcome.reason = `goodbye: ${String(msg.reason)}`;
    const error = (msg.type === 'reply' ? msg.error : msg.type === 'error' ? msg : undefined) as { code: string; message: string } | undefined;
    if (error) {
      this.outcome.errors.push({ code: error.code, message: error.message.slice(0, 300) });
      this.outcome.longestErrorBytes = Math.max(this.outcome.longestErrorBytes, Buffer.byteLength(error.message));
    }
    if (msg.type === 'reply' && typeof msg.seq === 'number') {
      this.waiting.get(msg.seq)?.(msg);
      this.waiting.delete(msg.seq);
    }
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** Send a command as a plain map; no reply awaited. */
  send(op: string, fields: Record<string, unknown> = {}): boolean {
    return this.socket.write(encodeFrame({ op, seq: this.nextSeq(), ...fields }, Number.MAX_SAFE_INTEGER));
  }

  /**
   * Send a request and wait for its reply (an error reply resolves too: it
   * is recorded in the outcome). `codec` encodes the body when the plain
   * encoder cannot (a map too large for it).
   */
  request(op: string, fields: Record<string, unknown> = {}, codec?: Packr): Promise<Record<string, unknown>> {
    const seq = this.nextSeq();
    const reply = new Promise<Record<string, unknown>>((resolve) => this.waiting.set(seq, resolve));
    const message = { op, seq, ...fields };
    this.socket.write(codec ? frameOf(codec.pack(message)) : encodeFrame(message, Number.MAX_SAFE_INTEGER));
    return reply;
  }

  /** Write raw bytes, waiting for the socket to drain; false once the engine has closed the connection. */
  async write(bytes: Uint8Array): Promise<boolean> {
    if (this.socket.destroyed) return false;
    if (this.socket.write(bytes)) return true;
    await Promise.race([new Promise((r) => this.socket.once('drain', r)), this.closed]);
    return !this.socket.destroyed;
  }

  close(): void {
    this.socket.destroy();
  }
}
