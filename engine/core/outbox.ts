import type { EngineEvent, ErrorInfo } from '../../protocol';
import type { FromEngine } from '../channel/messages';

/** Replies and events produced during one loop cycle, posted to the main thread together. */
export class Outbox {
  private items: FromEngine[] = [];

  constructor(private readonly post: (items: FromEngine[]) => void) {}

  reply(session: number, seq: number, result: unknown): void {
    this.items.push({ t: 'reply', session, seq, result });
  }

  fail(session: number, seq: number, error: ErrorInfo): void {
    this.items.push({ t: 'fail', session, seq, error });
  }

  event(session: number, event: EngineEvent): void {
    this.items.push({ t: 'event', session, event });
  }

  send(item: FromEngine): void {
    this.items.push(item);
  }

  /** Post one item ahead of the cycle's others (which wait for the frame to be presented). */
  sendNow(item: FromEngine): void {
    this.post([item]);
  }

  flush(): void {
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.post(items);
  }
}
