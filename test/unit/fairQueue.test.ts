import { decodeBody, encodeFrame } from '../../protocol';
import { FairQueue, type SessionItem, type WorkHandlers } from '../../engine/core/fairQueue';

/** Everything the queue ran, in order: "session:what". */
function recorder(): { handlers: WorkHandlers; ran: string[]; took: Map<number, number> } {
  const ran: string[] = [];
  const took = new Map<number, number>();
  return {
    ran,
    took,
    handlers: {
      item: (item) => ran.push(`${item.session}:${item.t === 'cmd' ? `cmd${item.cmd.seq}` : item.t}`),
      frame: (session, frames, start, end, execute) =>
        ran.push(`${session}:${execute ? 'frame' : 'skip'}${(decodeBody(frames.subarray(start, end)) as { seq: number }).seq}`),
      took: (session, units) => took.set(session, (took.get(session) ?? 0) + units),
    },
  };
}

const open = (session: number): SessionItem => ({ t: 'open', session, meta: { name: `c${session}`, pid: 1, connectedAt: '' } });
const close = (session: number): SessionItem => ({ t: 'close', session, bytesExchanged: 0 });
const cmd = (session: number, seq: number): SessionItem => ({ t: 'cmd', session, cmd: { op: 'show', seq, surface: 's1' } });
/** A run of frames whose bodies are `{ seq }` for each seq given. */
const frames = (session: number, seqs: number[], execute = true): SessionItem => ({
  t: 'frames',
  session,
  execute,
  frames: new Uint8Array(Buffer.concat(seqs.map((seq) => encodeFrame({ seq })))),
});
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('FairQueue', () => {
  it("runs each session's work in the order it was posted, frames one by one", () => {
    const q = new FairQueue();
    const { handlers, ran, took } = recorder();
    for (const item of [open(1), frames(1, [1, 2, 3]), cmd(1, 4), frames(1, [5], false), frames(1, [6]), close(1)]) q.push(item);
    q.run(100, 100, handlers);
    expect(ran).toEqual(['1:open', '1:frame1', '1:frame2', '1:frame3', '1:cmd4', '1:skip5', '1:frame6', '1:close']);
    // Frames and command objects count (the main thread's flow control counts those); opening and closing do not.
    expect(took.get(1)).toBe(6);
    expect(q.isEmpty).toBe(true);
  });

  it("lets a light session run after one quantum of a flooding session's backlog, not after all of it", () => {
    const q = new FairQueue();
    const { handlers, ran } = recorder();
    q.push(frames(1, range(1, 5_000)));
    q.push(frames(1, range(5_001, 5_000)));
    q.push(cmd(2, 1));
    q.run(300, 100, handlers);
    expect(ran.indexOf('2:cmd1')).toBe(100);
    expect(ran).toHaveLength(300);
    // The flood resumes exactly where its turn ended, inside the same run of frames.
    expect(ran.slice(99, 103)).toEqual(['1:frame100', '2:cmd1', '1:frame101', '1:frame102']);
  });

  it('stops at the budget and starts the next cycle with the session whose turn was cut short', () => {
    const q = new FairQueue();
    const { handlers, ran, took } = recorder();
    q.push(frames(1, range(1, 50)));
    q.push(frames(2, range(1, 50)));
    q.push(frames(3, range(1, 50)));
    q.run(25, 10, handlers);
    expect(ran.map((r) => r.split(':')[0])).toEqual([...Array(10).fill('1'), ...Array(10).fill('2'), ...Array(5).fill('3')]);
    ran.length = 0;
    q.run(10, 10, handlers);
    expect(ran[0]).toBe('3:frame6');
    expect(ran.map((r) => r.split(':')[0])).toEqual(Array(10).fill('3'));
    ran.length = 0;
    q.run(1_000, 10, handlers);
    expect([...took.values()]).toEqual([50, 50, 50]);
    expect(q.isEmpty).toBe(true);
  });

  it('keeps order across many small posts while it is drained in turns (finished items are dropped from the front)', () => {
    const q = new FairQueue();
    const { handlers, ran } = recorder();
    let next = 1;
    const seen: number[] = [];
    for (let cycle = 0; cycle < 200; cycle++) {
      for (let i = 0; i < 3; i++) {
        q.push(frames(1, range(next, 2)));
        next += 2;
      }
      q.run(5, 4, handlers);
      for (const r of ran.splice(0)) seen.push(Number(r.slice('1:frame'.length)));
    }
    q.run(Infinity, 4, handlers);
    for (const r of ran.splice(0)) seen.push(Number(r.slice('1:frame'.length)));
    expect(seen).toEqual(range(1, next - 1));
  });

  it("pauses a session in the middle of its turn: its work waits in order while others' runs, and goes on where it stopped", () => {
    const q = new FairQueue();
    const { handlers, ran } = recorder();
    q.push(frames(1, range(1, 5)));
    q.push(cmd(2, 1));
    // The second frame pauses its session, as a sync waiting for frames does.
    const pausing: WorkHandlers = {
      ...handlers,
      frame: (...args) => {
        handlers.frame(...args);
        if (ran.length === 2) q.pause(1);
      },
    };
    q.run(100, 100, pausing);
    expect(ran).toEqual(['1:frame1', '1:frame2', '2:cmd1']);
    expect(q.hasRunnable).toBe(false);
    expect(q.isEmpty).toBe(false);
    q.resume(1);
    expect(q.hasRunnable).toBe(true);
    q.run(100, 100, handlers);
    expect(ran.slice(3)).toEqual(['1:frame3', '1:frame4', '1:frame5']);
  });

  it('ends a turn once its time is spent, after the unit that crossed it', () => {
    const q = new FairQueue();
    const { handlers, ran } = recorder();
    q.push(frames(1, range(1, 10)));
    q.push(cmd(2, 1));
    let clock = 0;
    // Each of session 1's frames takes 1 ms.
    const slow: WorkHandlers = {
      ...handlers,
      frame: (...args) => {
        handlers.frame(...args);
        clock += 1;
      },
    };
    q.run(100, 100, slow, { turnMs: 3, cycleMs: 5, now: () => clock });
    expect(ran).toEqual(['1:frame1', '1:frame2', '1:frame3', '2:cmd1', '1:frame4', '1:frame5']);
  });

  it('forgets everything on clear', () => {
    const q = new FairQueue();
    const { handlers, ran } = recorder();
    q.push(cmd(1, 1));
    q.clear();
    q.run(10, 10, handlers);
    expect(ran).toEqual([]);
    expect(q.isEmpty).toBe(true);
  });
});
