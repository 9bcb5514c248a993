import * as path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { FrameSpan } from '../../protocol';
import type { WakeHandle } from '../platform/platform';
import { notifyWake } from '../platform/headless/wait';
import type { FromEngine, ToEngine } from '../channel/messages';
import type { EngineThreadData } from './threadData';

/** Bytes of a run's frames inside the buffer they were read into. */
interface Span {
  source: ArrayBufferLike;
  start: number;
  end: number;
}

/**
 * The engine thread's young generation, at most. V8 grows it under load (to
 * 48 MiB by default) and gives it back only when its memory reducer runs,
 * which needs the thread's event loop to be turning at the right moment: an
 * engine thread asleep in its wait would keep it for good. Small frames of
 * garbage (commands, scene updates) are all it holds; a scavenge of it costs
 * well under a millisecond.
 */
const ENGINE_THREAD_YOUNG_GENERATION_MB = 6;

export type EngineThreadOptions = Omit<EngineThreadData, 'wakeFlag' | 'commands'>;

/**
 * The main thread's handle on the engine thread: posts commands in bursts
 * (one message and at most one wake per burst) and hands back what the
 * engine thread sends.
 */
export class EngineThread {
  private readonly worker: Worker;
  private readonly channel = new MessageChannel();
  private readonly wakeFlag = new Int32Array(new SharedArrayBuffer(4));
  private pending: ToEngine[] = [];
  /** Frames of one session posted back to back, sent as one `frames` item. */
  private run: { session: number; execute: boolean; spans: Span[]; bytes: number } | null = null;
  private flushScheduled = false;
  private wake: WakeHandle | null = null;
  private wakeWin32: ((hwnd: number) => void) | null = null;

  constructor(
    opts: EngineThreadOptions,
    private readonly onMessages: (items: FromEngine[]) => void,
    onExit: (code: number, error: Error | null) => void,
  ) {
    const data: EngineThreadData = { ...opts, wakeFlag: this.wakeFlag.buffer as SharedArrayBuffer, commands: this.channel.port2 };
    this.worker = new Worker(path.join(__dirname, 'worker.js'), {
      workerData: data,
      transferList: [this.channel.port2],
      resourceLimits: { maxYoungGenerationSizeMb: ENGINE_THREAD_YOUNG_GENERATION_MB },
    });
    let error: Error | null = null;
    this.worker.on('message', (items: FromEngine[]) => {
      for (const item of items) if (item.t === 'ready') this.setWake(item.wake);
      this.onMessages(items);
    });
    this.worker.on('error', (err) => (error = err));
    this.worker.on('exit', (code) => onExit(code, error));
  }

  post(item: ToEngine): void {
    this.endRun();
    this.pending.push(item);
    this.scheduleFlush();
  }

  /**
   * A session's frame as received (`execute`: a validated command to run
   * from it). The bytes must stay as they are until the flush, a microtask away.
   */
  postFrame(session: number, frame: FrameSpan, execute: boolean): void {
    if (this.run?.session !== session || this.run.execute !== execute) {
      this.endRun();
      this.run = { session, execute, spans: [], bytes: 0 };
    }
    const source = frame.source.buffer;
    const start = frame.source.byteOffset + frame.start;
    const end = frame.source.byteOffset + frame.end;
    // Frames of one read lie back to back in its buffer: extend the last span instead of keeping each.
    const last = this.run.spans.at(-1);
    if (last && last.source === source && last.end === start) last.end = end;
    else this.run.spans.push({ source, start, end });
    this.run.bytes += end - start;
    this.scheduleFlush();
  }

  /** Send everything queued now, as one message, with one wake. */
  flush(): void {
    this.flushScheduled = false;
    this.endRun();
    if (this.pending.length === 0) return;
    // Frame buffers are the engine thread's alone: transferred, not copied.
    const transfer = this.pending.flatMap((item) => (item.t === 'frames' ? [item.frames.buffer as ArrayBuffer] : []));
    this.channel.port1.postMessage(this.pending, transfer);
    this.pending = [];
    if (Atomics.compareExchange(this.wakeFlag, 0, 0, 1) === 0) this.deliverWake();
  }

  private scheduleFlush(): void {
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Copy the open run into a buffer of its own (never a pooled slab: it is transferred). */
  private endRun(): void {
    if (!this.run) return;
    // Not zero-filled: every byte is written below.
    const frames = new Uint8Array(Buffer.allocUnsafeSlow(this.run.bytes).buffer);
    let at = 0;
    for (const { source, start, end } of this.run.spans) {
      frames.set(new Uint8Array(source, start, end - start), at);
      at += end - start;
    }
    this.pending.push({ t: 'frames', session: this.run.session, frames, execute: this.run.execute });
    this.run = null;
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private setWake(wake: WakeHandle): void {
    this.wake = wake;
    if (wake.kind === 'win32') {
      // Loaded only on Windows: the binding lives with the win32 platform.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      this.wakeWin32 = (require('../platform/win32/wake') as { postWake(hwnd: number): void }).postWake;
    }
  }

  private deliverWake(): void {
    if (this.wake?.kind === 'win32') this.wakeWin32!(this.wake.hwnd);
    else notifyWake(this.wakeFlag);
  }
}
