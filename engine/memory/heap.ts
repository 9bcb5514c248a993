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
