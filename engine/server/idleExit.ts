/**
 * Exits an engine started with --idle-exit-ms (as autostarted ones are)
 * that long after its last client left, unless a client comes meanwhile.
 */
export class IdleExit {
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;

  /** `afterMs`: null for an engine that runs until stopped (no --idle-exit-ms, or --persistent). */
  constructor(
    private readonly afterMs: number | null,
    private readonly exit: () => void,
  ) {}

  /** No client is connected: exit after the grace period. */
  arm(): void {
    if (this.afterMs === null || this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(this.exit, this.afterMs);
  }

  /** A client came. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The engine is shutting down: never arm again. */
  dispose(): void {
    this.cancel();
    this.disposed = true;
  }
}
