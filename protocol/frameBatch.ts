import { encodeFrame } from './framing';

/**
 * Frames queued during one turn of the event loop, handed over as one
 * buffer: many messages, one write.
 */
export class FrameBatch {
  private frames: Buffer[] = [];
  private bytes = 0;

  get byteLength(): number {
    return this.bytes;
  }

  get isEmpty(): boolean {
    return this.frames.length === 0;
  }

  /** Encode and queue one message; throws RangeError if it is over the frame limit. */
  add(message: unknown): void {
    this.addFrame(encodeFrame(message));
  }

  addFrame(frame: Buffer): void {
    this.frames.push(frame);
    this.bytes += frame.length;
  }

  /** Everything queued, as one buffer, leaving the batch empty. */
  take(): Buffer {
    const data = this.frames.length === 1 ? this.frames[0]! : Buffer.concat(this.frames, this.bytes);
    this.frames = [];
    this.bytes = 0;
    return data;
  }
}
