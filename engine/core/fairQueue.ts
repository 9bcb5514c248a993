import { FRAME_HEADER_BYTES, wholeFrameEnd } from '../../protocol';
import type { ToEngine } from '../channel/messages';

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

/**
 * Time bounds of a cycle's work: a turn ends after `turnMs` and the cycle
 * after `cycleMs`, whichever of units and time runs out first. Units alone
 * would let a session whose commands are slow (a snapshot, a long text
 * measured) hold the thread for a whole quantum of them.
 */
export interface TimeBudget {
  turnMs: number;
  cycleMs: number;
  now(): number;
}

/** Drop finished items from the front once they are this many and at least half the array. */
const COMPACT_AFTER = 64;

/**
 * The engine thread's work, one lane per session, served in turns: each
 * session runs at most `quantum` units before the next one's turn, so a
 * client flooding commands delays another client's command by one quantum,
 * not by its whole backlog. Order within a session is kept; sessions have
 * no order between them. A paused session's work waits, in order, until it
 * is resumed (a `sync` waiting for its frames).
 */
export class FairQueue {
  /** Insertion order is the turn order: a lane that had its turn goes to the back. */
  private readonly lanes = new Map<number, Lane>();
  private readonly paused = new Set<number>();

  get isEmpty(): boolean {
    return this.lanes.size === 0;
  }

  /** Some session that is not paused has work waiting. */
  get hasRunnable(): boolean {
    for (const session of this.lanes.keys()) if (!this.paused.has(session)) return true;
    return false;
  }

  /** Stop running `session`'s work, also in the middle of its turn. */
  pause(session: number): void {
    this.paused.add(session);
  }

  resume(session: number): void {
    this.paused.delete(session);
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
    this.paused.clear();
  }

  /** Run turns until `budget` units ran, `time` ran out, or nothing runnable waits. */
  run(budget: number, quantum: number, handlers: WorkHandlers, time?: TimeBudget): void {
    const cycleEnd = time ? time.now() + time.cycleMs : Infinity;
    while (budget > 0 && this.hasRunnable) {
      for (const session of [...this.lanes.keys()]) {
        if (this.paused.has(session)) continue;
        const lane = this.lanes.get(session)!;
        const turn = Math.min(quantum, budget);
        const turnEnd = time ? Math.min(cycleEnd, time.now() + time.turnMs) : Infinity;
        const stop = (): boolean => this.paused.has(session) || (time !== undefined && time.now() >= turnEnd);
        const units = serve(session, lane, turn, handlers, stop);
        handlers.took(session, units);
        budget -= units;
        const more = lane.head < lane.items.length;
        // A turn the budget cut short goes on first next cycle; any other goes to the back.
        const cutShort = more && turn < quantum && !this.paused.has(session);
        if (!cutShort) {
          this.lanes.delete(session);
          if (more) this.lanes.set(session, lane);
        }
        if (budget <= 0 || (time && time.now() >= cycleEnd)) return;
      }
    }
  }
}

/** Run up to `quantum` units of one lane, until `stop()` says so after one; returns how many ran. */
function serve(session: number, lane: Lane, quantum: number, handlers: WorkHandlers, stop: () => boolean): number {
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
        if (stop()) break;
      }
      if (lane.offset < frames.length) break;
      lane.offset = 0;
    } else {
      // Opening and closing a session are not work the main thread counts.
      if (item.t === 'cmd' || item.t === 'error') units++;
      handlers.item(item);
    }
    lane.head++;
    if (stop()) break;
  }
  if (lane.head >= COMPACT_AFTER && lane.head * 2 >= lane.items.length) {
    lane.items = lane.items.slice(lane.head);
    lane.head = 0;
  }
  return units;
}
