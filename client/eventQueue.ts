import type { PanepipeEvent } from '../protocol';

/**
 * A bounded FIFO of events. When full, new events are counted instead of
 * stored, and the count is delivered as an `eventsDropped` event as soon as
 * there is room: an overflow is never silent.
 */
export class EventQueue {
  private items: PanepipeEvent[] = [];
  private head = 0;
  private dropped = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly capacity: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(event: PanepipeEvent): void {
    // The drop notice takes the place of the events it stands for, and may go one past capacity.
    if (this.dropped > 0 && this.length < this.capacity) this.items.push(this.takeDropNotice()!);
    if (this.length >= this.capacity && event.type !== 'disconnected') {
      this.dropped++;
      return;
    }
    this.items.push(event);
    this.wakeWaiters();
  }

  shift(): PanepipeEvent | undefined {
    if (this.head >= this.items.length) return this.takeDropNotice();
    const event = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return event;
  }

  private takeDropNotice(): PanepipeEvent | undefined {
    if (this.dropped === 0) return undefined;
    const count = this.dropped;
    this.dropped = 0;
    return { type: 'eventsDropped', count };
  }

  /** Resolves when an event may be available. */
  waitForEvent(): Promise<void> {
    if (this.length > 0 || this.dropped > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wakeWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
