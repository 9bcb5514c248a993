import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's collector, on whichever thread calls this. */
export interface Heap {
  /** A scavenge: the young generation only. */
  scavenge(): void;
  /**
   * A full collection, which also compacts and, when the thread has been
   * allocating little, shrinks the young generation.
   */
  collectAll(): void;
}

export function heapOfThisThread(): Heap {
  // The documented way to reach V8's collector without a command-line flag:
  // contexts created after the flag is set get `gc`. Its positional form is
  // the one every supported V8 understands: Node 20's takes no options object
  // (any argument means a scavenge).
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (minor?: boolean) => void;
  return {
    scavenge: () => gc(true),
    collectAll: () => gc(),
  };
}

/**
 * Keep the young generation of every V8 heap in this process at its
 * starting size. V8 grows it under a burst of allocation (a client sending
 * megabytes of commands) up to 16 MiB per semi-space on the main thread and
 * never gives it back while the process stays busy, so one client's burst
 * would stay in the engine's resident memory after it left. Setting the
 * growth factor works at run time, unlike `--max-semi-space-size`, which
 * only a command line can set; the cost is more, equally cheap, scavenges
 * during a burst. The flag is process-wide, but creating an isolate (the
 * engine thread's) raises it back to V8's minimum of 2: so the CLI sets it
 * first thing, and the engine thread again once its isolate exists.
 */
export function keepYoungGenerationsSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
