import { heapOfThisThread } from './heap';
import { ENGINE_THREAD_QUIET_MS, RETURN_AFTER_MS, TIDY_AFTER_BYTES } from './policy';

/** Native bytes since the last collection that make the young generation's garbage worth a scavenge. */
const MINOR_EVERY_BYTES = 8 * 1024 * 1024;
/** Native bytes since the last full collection that make one due anyway (garbage that got old). */
const MAJOR_EVERY_BYTES = 64 * 1024 * 1024;

/**
 * Collects the engine thread's garbage on the engine's schedule, and tidies
 * after clients that did work have left (see policy.ts).
 *
 * Why: the renderer's native memory (every frame read back from Skia, every
 * canvas) is invisible to V8, whose heuristics see only a few small objects
 * and let tens of megabytes of dead frames pile up before collecting them,
 * and never collect at all while the thread sleeps. The renderer counts
 * what it allocates natively; this collects in proportion to it, at the end
 * of a cycle. And V8 and the allocators keep what was freed for reuse, so
 * what a departed client used would stay with the engine: the tidy is a
 * full collection (which compacts) and, RETURN_AFTER_MS later,
 * `returnFreedMemory` (the platform's way of handing the C heap's free
 * pages back to the OS).
 *
 * The cost follows the work: an engine that renders nothing never collects
 * here, and an idle engine never wakes for it.
 */
export class GarbageCollector {
  private readonly heap = heapOfThisThread();
  private sinceMinor = 0;
  private sinceMajor = 0;
  private sinceTidy = 0;
  /** When the next tidy step is due (performance.now() ms), or null when no tidy is pending. */
  private tidyAt: number | null = null;
  private tidyStep: 'collect' | 'return' = 'collect';
  /** A client left since the last cycle. */
  private left = false;

  constructor(private readonly returnFreedMemory: () => void) {}

  /**
   * A client left, having exchanged `bytes` with the engine: this thread
   * handled all of it too, so a client that only sent (and rendered
   * nothing) can leave garbage worth a tidy.
   */
  clientLeft(bytes: number): void {
    this.sinceTidy += bytes;
    this.left = true;
  }

  /** After a cycle at `now`: `nativeBytes` allocated in it. */
  afterCycle(now: number, nativeBytes: number): void {
    const clientLeft = this.left;
    this.left = false;
    this.sinceMinor += nativeBytes;
    this.sinceMajor += nativeBytes;
    this.sinceTidy += nativeBytes;
    if (this.sinceMajor >= MAJOR_EVERY_BYTES) this.collectAll();
    else if (this.sinceMinor >= MINOR_EVERY_BYTES) this.scavenge();
    const pending = this.tidyAt !== null || (clientLeft && this.sinceTidy >= TIDY_AFTER_BYTES);
    if (!pending) return;
    if (nativeBytes > 0 || clientLeft) {
      // Not quiet yet: whoever is still rendering reuses what was freed.
      this.tidyAt = now + ENGINE_THREAD_QUIET_MS;
      this.tidyStep = 'collect';
    } else if (now >= this.tidyAt!) {
      this.tidy(now);
    }
  }

  /** When the loop must wake for the next tidy step, if one is pending. */
  deadline(): number | undefined {
    return this.tidyAt ?? undefined;
  }

  private tidy(now: number): void {
    if (this.tidyStep === 'collect') {
      this.collectAll();
      this.tidyStep = 'return';
      this.tidyAt = now + RETURN_AFTER_MS;
    } else {
      this.returnFreedMemory();
      this.sinceTidy = 0;
      this.tidyAt = null;
    }
  }

  private scavenge(): void {
    this.heap.scavenge();
    this.sinceMinor = 0;
  }

  private collectAll(): void {
    this.heap.collectAll();
    this.sinceMinor = 0;
    this.sinceMajor = 0;
  }
}
