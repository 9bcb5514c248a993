import { Packr } from 'msgpackr';
import { LIMITS } from './limits';
import { scanShapes, type ShapeRefusal } from './shapeScan';

/**
 * A frame is a 4-byte little-endian body length followed by one msgpack
 * value. Frames may be split across reads or several may arrive in one read.
 */
export const FRAME_HEADER_BYTES = 4;

/** The shared encoder for everything but a connection's commands: plain msgpack maps. */
const plain = new Packr({ useRecords: false, mapsAsObjects: true, bundleStrings: false });

/**
 * The codec of one connection's command stream (client → engine, after the
 * handshake). Commands are msgpackr records: a shape is defined inline the
 * first time it is sent and referenced by id after that, so a command
 * costs fewer bytes and decodes 2–3× faster than a map. Each decoder must
 * therefore see every frame of its stream, in order; a plain map still
 * decodes. One codec per connection and direction, never shared.
 */
export type StreamCodec = Packr;

export function commandStreamCodec(): StreamCodec {
  return new Packr({ sequential: true, mapsAsObjects: true, bundleStrings: false });
}

export function encodeBody(value: unknown, codec: StreamCodec = plain): Buffer {
  return codec.pack(value);
}

export function decodeBody(body: Uint8Array): unknown {
  return plain.unpack(body);
}

/**
 * In a buffer that holds whole frames only (what the engine's main thread
 * forwards to its engine thread), where the frame at `offset` ends: its
 * body is [offset + FRAME_HEADER_BYTES, end), the next frame starts at end.
 */
export function wholeFrameEnd(frames: Uint8Array, offset: number): number {
  const length = (frames[offset]! | (frames[offset + 1]! << 8) | (frames[offset + 2]! << 16)) + frames[offset + 3]! * 0x1000000;
  return offset + FRAME_HEADER_BYTES + length;
}

/** Visit every frame of a buffer that holds whole frames only: `start` and `end` bound the body. */
export function forEachWholeFrame(frames: Uint8Array, each: (start: number, end: number) => void): void {
  for (let offset = 0; offset < frames.length; ) {
    const end = wholeFrameEnd(frames, offset);
    each(offset + FRAME_HEADER_BYTES, end);
    offset = end;
  }
}

/** One frame ready to write. */
export function encodeFrame(value: unknown, maxBytes: number = LIMITS.maxFrameBytes): Buffer {
  const body = encodeLimitedBody(value, plain, maxBytes);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32LE(body.length, 0);
  body.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/**
 * Encode a message's body; valid only until the next encode (it lives in
 * the encoder's own buffer). Throws RangeError over the frame limit.
 */
export function encodeLimitedBody(value: unknown, codec: StreamCodec = plain, maxBytes: number = LIMITS.maxFrameBytes): Buffer {
  const body = encodeBody(value, codec);
  if (body.length > maxBytes) {
    throw new RangeError(`frame of ${body.length} bytes exceeds the ${maxBytes}-byte limit`);
  }
  return body;
}

/**
 * Where a whole frame, header included, lies in the buffer it was read into
 * (valid until the next push): kept as offsets, since making a view of every
 * frame would cost more than decoding it.
 */
export interface FrameSpan {
  source: Buffer;
  start: number;
  end: number;
  /**
   * false when the frame is known to define no record shape, so a decoder
   * of the same stream that never sees it is left as it would have been
   * (checked only for a client's frames).
   */
  definesShapes?: boolean;
}

/** What the decoder hands over for each frame. */
export type DecodedFrame =
  | ({ ok: true; value: unknown } & FrameSpan)
  /** A body that did not decode; its bytes went through the codec all the same. */
  | ({ ok: false; code: 'badFrame'; message: string } & FrameSpan)
  /** Over the size limit: never decoded, and the stream ends here (nothing after its header is read). */
  | { ok: false; fatal: true; code: 'frameTooLarge'; length: number; message: string }
  /**
   * Refused before decoding: its maps or record shapes are over their limits
   * (protocol/shapeScan.ts). Neither thread's decoder may see it, so the
   * stream cannot go on.
   */
  | ({ ok: false; fatal: true } & ShapeRefusal);

/** A frame's bytes as a view. */
export function frameBytes(frame: FrameSpan): Buffer {
  return frame.source.subarray(frame.start, frame.end);
}

/** Room an incomplete frame starts with once its size is known (less if the frame is smaller): one typical read. */
const FIRST_HOLD_BYTES = 64 * 1024;

/**
 * Splits a byte stream into frames. A frame split over several reads is
 * copied as it arrives into a buffer of its own, which doubles when full
 * up to the frame's size, so reassembly is linear in the bytes received
 * (at most two copies of each) and holds no more than twice what arrived.
 * A frame over the size limit is reported and ends the stream: nothing
 * after its header is read.
 */
export class FrameDecoder {
  /** The incomplete frame's bytes so far, header included, at [0, heldBytes). */
  private held: Buffer | null = null;
  private heldBytes = 0;
  /** The incomplete frame's size, header included, once its header is in; 0 before. */
  private awaited = 0;
  private ended = false;
  /**
   * `maxBytes` and `codec` may both be switched between frames (a session
   * does after the handshake). `checkShapes`: the peer is a client, so every
   * body's maps and record shapes are checked before it is decoded.
   */
  constructor(
    public maxBytes: number = LIMITS.maxFrameBytes,
    public codec: StreamCodec = plain,
    private readonly checkShapes = false,
  ) {}

  /** Feed bytes; returns the frames completed by them, in order. */
  push(chunk: Buffer): DecodedFrame[] {
    const out: DecodedFrame[] = [];
    this.feed(chunk, (frame) => {
      out.push(frame);
    });
    return out;
  }

  /**
   * Feed bytes; `each` gets every frame they complete, in order, decoded
   * only when its turn comes (so a codec switched inside `each` applies to
   * the next frame). `each` returning false drops the rest of this chunk.
   */
  feed(chunk: Buffer, each: (frame: DecodedFrame) => boolean | void): void {
    if (this.ended) return;
    let offset = 0;
    if (this.heldBytes > 0) {
      offset = this.completeHeld(chunk, each);
      if (offset < 0) return;
    }
    while (chunk.length - offset >= FRAME_HEADER_BYTES) {
      const length = chunk.readUInt32LE(offset);
      if (this.tooLarge(length, each)) return;
      const end = offset + FRAME_HEADER_BYTES + length;
      if (end > chunk.length) {
        this.awaited = end - offset;
        break;
      }
      const frame = this.decodeFrame(chunk, offset, end);
      offset = end;
      if (each(frame) === false) return;
    }
    if (offset < chunk.length) this.hold(chunk, offset, chunk.length);
  }

  /** Bytes held back waiting for the rest of a frame. */
  get buffered(): number {
    return this.heldBytes;
  }

  /**
   * With part of a frame held, take from `chunk` what completes it (or all
   * of it). Returns where the rest of the chunk starts, or -1 when nothing
   * of it is left to read.
   */
  private completeHeld(chunk: Buffer, each: (frame: DecodedFrame) => boolean | void): number {
    let offset = 0;
    if (this.awaited === 0) {
      offset = Math.min(chunk.length, FRAME_HEADER_BYTES - this.heldBytes);
      this.hold(chunk, 0, offset);
      if (this.heldBytes < FRAME_HEADER_BYTES) return -1;
      const length = this.held!.readUInt32LE(0);
      if (this.tooLarge(length, each)) return -1;
      this.awaited = FRAME_HEADER_BYTES + length;
    }
    const end = Math.min(chunk.length, offset + this.awaited - this.heldBytes);
    this.hold(chunk, offset, end);
    if (this.heldBytes < this.awaited) return -1;
    const source = this.held!;
    const frameEnd = this.awaited;
    // The next frame gets a buffer of its own: this one may still be read (a span handed on).
    this.held = null;
    this.heldBytes = 0;
    this.awaited = 0;
    return each(this.decodeFrame(source, 0, frameEnd)) === false ? -1 : end;
  }

  /** Copy `chunk[start, end)` after the bytes held, growing the buffer by doubling, never past the frame's size. */
  private hold(chunk: Buffer, start: number, end: number): void {
    const needed = this.heldBytes + end - start;
    if (this.held === null || needed > this.held.length) {
      const capacity = this.awaited === 0 ? FRAME_HEADER_BYTES : Math.min(this.awaited, Math.max(needed, 2 * (this.held?.length ?? 0), FIRST_HOLD_BYTES));
      const grown = Buffer.allocUnsafe(capacity);
      this.held?.copy(grown, 0, 0, this.heldBytes);
      this.held = grown;
    }
    chunk.copy(this.held, this.heldBytes, start, end);
    this.heldBytes = needed;
  }

  /** Report a frame over the limit, and end the stream. */
  private tooLarge(length: number, each: (frame: DecodedFrame) => boolean | void): boolean {
    if (length <= this.maxBytes) return false;
    this.ended = true;
    this.held = null;
    this.heldBytes = 0;
    each({ ok: false, fatal: true, code: 'frameTooLarge', length, message: `frame of ${length} bytes exceeds the ${this.maxBytes}-byte limit` });
    return true;
  }

  private decodeFrame(source: Buffer, start: number, end: number): DecodedFrame {
    if (!this.checkShapes) return decodeFrame(this.codec, source, start, end);
    const scan = scanShapes(source, start + FRAME_HEADER_BYTES, end);
    if (scan.refused) return { ok: false, fatal: true, ...scan.refused };
    return decodeFrame(this.codec, source, start, end, scan.definesShapes);
  }
}

function decodeFrame(codec: StreamCodec, source: Buffer, start: number, end: number, definesShapes?: boolean): DecodedFrame {
  try {
    return { ok: true, value: codec.unpack(source, { start: start + FRAME_HEADER_BYTES, end }), source, start, end, definesShapes };
  } catch (err) {
    return { ok: false, code: 'badFrame', message: `undecodable msgpack body: ${(err as Error).message}`, source, start, end, definesShapes };
  }
}
