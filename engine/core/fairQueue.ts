import { FRAME_HEADER_BYTES, wholeFrameEnd } from '../../protocol';
import type { ToEngine } from '../thread/messages';

/** Work for one session: everything the main thread posts but a shutdown. */
export type SessionItem = Exclude<ToEngine, { t: 'shutdown' }>;

/** What the engine does with each unit of a session's work, in the order it was posted. */
export interface WorkHandlers {
  item(item: Exclude<SessionItem, { t: 'frames' }>): void;
  /** One frame of a `frames` item: its body is `frames[start, end)`. */
  frame(session: number, frames: Uint8Array, start: number, end: number, execute: boolean): void;
  /** `units` of the session's work ran: frames and command objects, what the main thread's flow control counts. */
  took(session: number, units: number): void;
}

/** One session's queue; `offset` is the next frame inside the head item when that is a run of frames. */
interface Lane {
  items: SessionItem[];
  head: number;
  offset: number;
}

/** Drop finished items from the front once they are this many and at least half the array. */
const COMPACT_AFTER = 64;

/**
 * The engine thread's work, one lane per session, served in turns: each
 * session runs at most `quantum` units before the next one's turn, so a
 * client flooding commands delays another client's command by one quantum,
 * not by its whole backlog. Order within a session is kept; sessions have
 * no order between them.
 */
export class FairQueue {
  /** Insertion order is the turn order: a lane that had its turn goes to the back. */
  private readonly lanes = new Map<number, Lane>();

  get isEmpty(): boolean {
    return this.lanes.size === 0;
  }

  push(item: SessionItem): void {
    let lane = this.lanes.get(item.session);
    if (!lane) {
      lane = { items: [], head: 0, offset: 0 };
      this.lanes.set(item.session, lane);
    }
    lane.items.push(item);
  }

  clear(): void {
    this.lanes.clear();
  }

  /** Run turns until `budget` units ran or nothing waits. */
  run(budget: number, quantum: number, handlers: WorkHandlers): void {
    while (budget > 0 && this.lanes.size > 0) {
      for (const session of [...this.lanes.keys()]) {
        const lane = this.lanes.get(session)!;
        const turn = Math.min(quantum, budget);
        const units = serve(session, lane, turn, handlers);
        handlers.took(session, units);
        budget -= units;
        const more = lane.head < lane.items.length;
        // A turn the budget cut short goes on first next cycle; any other goes to the back.
        const cutShort = more && turn < quantum;
        if (!cutShort) {
          this.lanes.delete(session);
          if (more) this.lanes.set(session, lane);
        }
        if (budget <= 0) break;
      }
    }
  }
}

/** Run up to `quantum` units of one lane; returns how many ran. */
function serve(session: number, lane: Lane, quantum: number, handlers: WorkHandlers): number {
  let units = 0;
  while (units < quantum && lane.head < lane.items.length) {
    const item = lane.items[lane.head]!;
    if (item.t === 'frames') {
      const { frames } = item;
      while (units < quantum && lane.offset < frames.length) {
        const start = lane.offset + FRAME_HEADER_BYTES;
        lane.offset = wholeFrameEnd(frames, lane.offset);
        units++;
        handlers.frame(session, frames, start, lane.offset, item.execute);
      }
      if (lane.offset < frames.length) break;
      lane.offset = 0;
    } else {
      // Opening and closing a session are not work the main thread counts.
      if (item.t === 'cmd') units++;
      handlers.item(item);
    }
    lane.head++;
  }
  if (lane.head >= COMPACT_AFTER && lane.head * 2 >= lane.items.length) {
    lane.items = lane.items.slice(lane.head);
    lane.head = 0;
  }
  return units;
}
