/** How a step's preparation ended. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Keeps the app's commands in the order it issued them while some wait for
 * an image file to be read: a step still being prepared holds back every
 * step issued after it, the way the engine holds a client's commands behind
 * an image being decoded.
 */
export class SendOrder {
  /** Steps issued while an earlier one was being prepared; `run` is set once a step is ready. */
  private readonly waiting: Array<{ run: (() => void) | null }> = [];

  /** Nothing is held back: a step may run at once. */
  get idle(): boolean {
    return this.waiting.length === 0;
  }

  /** Run `step` now, or after every step issued before it. */
  now(step: () => void): void {
    if (this.idle) step();
    else this.waiting.push({ run: step });
  }

  /** Run `step` with the outcome of `preparing`, after every step issued before it. */
  after<T>(preparing: Promise<T>, step: (outcome: Outcome<T>) => void): void {
    const slot: { run: (() => void) | null } = { run: null };
    this.waiting.push(slot);
    const ready = (outcome: Outcome<T>) => {
      slot.run = () => step(outcome);
      while (this.waiting[0]?.run) this.waiting.shift()!.run!();
    };
    preparing.then(
      (value) => ready({ ok: true, value }),
      (error: unknown) => ready({ ok: false, error }),
    );
  }
}
