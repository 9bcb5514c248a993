import { heapOfThisThread } from './heap';
import { MAIN_THREAD_QUIET_MS, TIDY_AFTER_BYTES } from './policy';

/** libuv's read buffer for a socket: what a session costs the main thread, however little it sent. */
const SESSION_BYTES = 64 * 1024;

/**
 * The main thread's tidy (see policy.ts): a moment after clients that sent
 * enough stop leaving, one full collection (which compacts). Sessions,
 * their decoders and their buffers are the main thread's garbage; V8's own
 * memory reducer gets to it only now and then, and while the engine stays
 * idle it may never. The timer runs only after a client left, and once.
 */
export class QuietTidy {
  private readonly heap = heapOfThisThread();
  private timer: NodeJS.Timeout | null = null;
  private bytesSinceTidy = 0;

  /** A client that had exchanged `bytes` with the engine left; each counts for at least the read buffer its socket held. */
  clientLeft(bytes: number): void {
    this.bytesSinceTidy += Math.max(bytes, SESSION_BYTES);
    if (this.timer) this.timer.refresh();
    else if (this.bytesSinceTidy >= TIDY_AFTER_BYTES) this.timer = setTimeout(() => this.tidy(), MAIN_THREAD_QUIET_MS).unref();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private tidy(): void {
    this.timer = null;
    this.bytesSinceTidy = 0;
    this.heap.collectAll();
  }
}
