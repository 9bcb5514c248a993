import { Packr } from 'msgpackr';
import { LIMITS } from './limits';

/**
 * A frame is a 4-byte little-endian body length followed by one msgpack
 * value. Frames may be split across reads or several may arrive in one read.
 */
export const FRAME_HEADER_BYTES = 4;

const packr = new Packr({ useRecords: false, mapsAsObjects: true, bundleStrings: false });

export function encodeBody(value: unknown): Buffer {
  return packr.pack(value);
}

export function decodeBody(body: Uint8Array): unknown {
  return packr.unpack(body);
}

/**
 * Decode every frame of a buffer that holds whole frames only (frames the
 * engine's main thread already split and validated), in order.
 */
export function decodeWholeFrames(frames: Uint8Array, each: (value: unknown) => void): void {
  const view = new DataView(frames.buffer, frames.byteOffset, frames.byteLength);
  let offset = 0;
  while (offset < frames.length) {
    const start = offset + FRAME_HEADER_BYTES;
    offset = start + view.getUint32(offset, true);
    each(packr.unpack(frames, { start, end: offset }));
  }
}

/** One frame ready to write. */
export function encodeFrame(value: unknown, maxBytes: number = LIMITS.maxFrameBytes): Buffer {
  const body = encodeLimitedBody(value, maxBytes);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32LE(body.length, 0);
  body.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/**
 * Encode a message's body; valid only until the next encode (it lives in
 * the encoder's own buffer). Throws RangeError over the frame limit.
 */
export function encodeLimitedBody(value: unknown, maxBytes: number = LIMITS.maxFrameBytes): Buffer {
  const body = encodeBody(value);
  if (body.length > maxBytes) {
    throw new RangeError(`frame of ${body.length} bytes exceeds the ${maxBytes}-byte limit`);
  }
  return body;
}

/** What the decoder hands over for each frame. */
export type DecodedFrame =
  /** `bytes`: the whole frame, header included, as received (valid until the next push). */
  | { ok: true; value: unknown; bytes: Buffer }
  | { ok: false; code: 'badFrame' | 'frameTooLarge'; message: string };

/**
 * Splits a byte stream into frames. An oversized frame is reported once and
 * its bytes are skipped as they arrive, so the stream stays in sync.
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipRemaining = 0;

  constructor(private readonly maxBytes: number = LIMITS.maxFrameBytes) {}

  /** Feed bytes; returns the frames completed by them, in order. */
  push(chunk: Buffer): DecodedFrame[] {
    const out: DecodedFrame[] = [];
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
        out.push({
          ok: false,
          code: 'frameTooLarge',
          message: `frame of ${length} bytes exceeds the ${this.maxBytes}-byte limit`,
        });
        const available = buf.length - offset - FRAME_HEADER_BYTES;
        const skipped = Math.min(length, available);
        this.skipRemaining = length - skipped;
        offset += FRAME_HEADER_BYTES + skipped;
        continue;
      }
      if (buf.length - offset - FRAME_HEADER_BYTES < length) break;
      const end = offset + FRAME_HEADER_BYTES + length;
      out.push(decodeFrame(buf, offset, end));
      offset = end;
    }
    if (offset < buf.length) {
      // Copy: the caller's chunk may be reused by the stream.
      const rest = Buffer.from(buf.subarray(offset));
      this.pending.push(rest);
      this.pendingBytes = rest.length;
    }
    return out;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get buffered(): number {
    return this.pendingBytes;
  }
}

function decodeFrame(buf: Buffer, start: number, end: number): DecodedFrame {
  try {
    const value = packr.unpack(buf, { start: start + FRAME_HEADER_BYTES, end });
    return { ok: true, value, bytes: buf.subarray(start, end) };
  } catch (err) {
    return { ok: false, code: 'badFrame', message: `undecodable msgpack body: ${(err as Error).message}` };
  }
}
