/**
 * Counts the events a session has written that the OS has not taken yet:
 * each write is remembered with its event count until the socket's
 * buffered bytes show it has been handed to the kernel.
 */
export class EventBacklog {
  private readonly writes: Array<{ end: number; events: number }> = [];
  private written = 0;
  private inWrites = 0;
  /** Events queued for the next write. */
  private queued = 0;

  queue(): void {
    this.queued++;
  }

  /** A write of `bytes` carrying everything queued since the last one. */
  wrote(bytes: number): void {
    this.written += bytes;
    if (this.queued > 0) {
      this.writes.push({ end: this.written, events: this.queued });
      this.inWrites += this.queued;
      this.queued = 0;
    }
  }

  /** Events not yet taken by the OS, given how many bytes the socket still buffers. */
  pending(bufferedBytes: number): number {
    const handed = this.written - bufferedBytes;
    while (this.writes.length > 0 && this.writes[0]!.end <= handed) this.inWrites -= this.writes.shift()!.events;
    return this.inWrites + this.queued;
  }
}
