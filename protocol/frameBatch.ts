import { FRAME_HEADER_BYTES, encodeLimitedBody, type StreamCodec } from './framing';

/**
 * Room a batch starts with: what the previous turn needed, within these
 * bounds; it doubles when a turn needs more. A client sending steadily then
 * encodes into a buffer of the right size instead of growing one each turn.
 */
const MIN_START_BYTES = 16 * 1024;
const MAX_START_BYTES = 1024 * 1024;

/**
 * Frames queued during one turn of the event loop, handed over as one
 * buffer: many messages, one write. Each message is copied into that
 * buffer as soon as it is encoded (one copy, no buffer per frame).
 */
export class FrameBatch {
  private buffer = Buffer.allocUnsafe(MIN_START_BYTES);
  private bytes = 0;
  private codec: StreamCodec | undefined;

  /** `newCodec`: makes a connection's command stream codec; without it, plain maps. */
  constructor(private readonly newCodec?: () => StreamCodec) {
    this.codec = newCodec?.();
  }

  get byteLength(): number {
    return this.bytes;
  }

  get isEmpty(): boolean {
    return this.bytes === 0;
  }

  /** Encode and queue one message; throws RangeError if it is over the frame limit. */
  add(message: unknown): void {
    let body: Buffer;
    try {
      body = encodeLimitedBody(message, this.codec);
    } catch (err) {
      // The codec may have recorded a shape whose definition is never sent.
      // A fresh one defines every shape again on first use, which the
      // engine's decoder accepts, so the stream stays decodable.
      this.codec = this.newCodec?.();
      throw err;
    }
    const at = this.reserve(FRAME_HEADER_BYTES + body.length);
    this.buffer.writeUInt32LE(body.length, at);
    this.buffer.set(body, at + FRAME_HEADER_BYTES);
  }

  addFrame(frame: Buffer): void {
    const at = this.reserve(frame.length);
    frame.copy(this.buffer, at);
  }

  /** Everything queued, as one buffer the caller keeps, leaving the batch empty. */
  take(): Buffer {
    const data = this.buffer.subarray(0, this.bytes);
    // A fresh buffer: the taken one may still be queued in a socket.
    this.buffer = Buffer.allocUnsafe(Math.min(MAX_START_BYTES, Math.max(MIN_START_BYTES, this.bytes)));
    this.bytes = 0;
    return data;
  }

  /** Make room for `length` more bytes; returns where they go. */
  private reserve(length: number): number {
    const at = this.bytes;
    if (at + length > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, at + length));
      this.buffer.copy(grown, 0, 0, at);
      this.buffer = grown;
    }
    this.bytes = at + length;
    return at;
  }
}
