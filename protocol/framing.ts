import { Packr } from 'msgpackr';
import { LIMITS } from './limits';

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
}

/** What the decoder hands over for each frame. */
export type DecodedFrame =
  | ({ ok: true; value: unknown } & FrameSpan)
  /** A body that did not decode; its bytes went through the codec all the same. */
  | ({ ok: false; code: 'badFrame'; message: string } & FrameSpan)
  /** Never decoded: its bytes are skipped. */
  | { ok: false; code: 'frameTooLarge'; message: string };

/** A frame's bytes as a view. */
export function frameBytes(frame: FrameSpan): Buffer {
  return frame.source.subarray(frame.start, frame.end);
}

/**
 * Splits a byte stream into frames. An oversized frame is reported once and
 * its bytes are skipped as they arrive, so the stream stays in sync.
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipRemaining = 0;
  /**
   * `codec` decodes the bodies; it may be switched between frames (a session
   * does after the handshake).
   */
  constructor(
    private readonly maxBytes: number = LIMITS.maxFrameBytes,
    public codec: StreamCodec = plain,
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
    let buf = chunk;
    if (this.skipRemaining > 0) {
      const skipped = Math.min(this.skipRemaining, buf.length);
      this.skipRemaining -= skipped;
      buf = buf.subarray(skipped);
    }
    if (this.pendingBytes > 0) {
      this.pending.push(buf);
      buf = Buffer.concat(this.pending, this.pendingBytes + buf.length);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let offset = 0;
    while (buf.length - offset >= FRAME_HEADER_BYTES) {
      const length = buf.readUInt32LE(offset);
      if (length > this.maxBytes) {
        const more = each({
          ok: false,
          code: 'frameTooLarge',
          message: `frame of ${length} bytes exceeds the ${this.maxBytes}-byte limit`,
        });
        const available = buf.length - offset - FRAME_HEADER_BYTES;
        const skipped = Math.min(length, available);
        this.skipRemaining = length - skipped;
        offset += FRAME_HEADER_BYTES + skipped;
        if (more === false) return;
        continue;
      }
      if (buf.length - offset - FRAME_HEADER_BYTES < length) break;
      const end = offset + FRAME_HEADER_BYTES + length;
      const frame = decodeFrame(this.codec, buf, offset, end);
      offset = end;
      if (each(frame) === false) return;
    }
    if (offset < buf.length) {
      // Copy: the caller's chunk may be reused by the stream.
      const rest = Buffer.from(buf.subarray(offset));
      this.pending.push(rest);
      this.pendingBytes = rest.length;
    }
  }

  /** Bytes held back waiting for the rest of a frame. */
  get buffered(): number {
    return this.pendingBytes;
  }
}

function decodeFrame(codec: StreamCodec, source: Buffer, start: number, end: number): DecodedFrame {
  try {
    return { ok: true, value: codec.unpack(source, { start: start + FRAME_HEADER_BYTES, end }), source, start, end };
  } catch (err) {
    return { ok: false, code: 'badFrame', message: `undecodable msgpack body: ${(err as Error).message}`, source, start, end };
  }
}
