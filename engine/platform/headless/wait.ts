/**
 * The engine thread's sleep on headless: Atomics.wait on the shared wake
 * flag, so the thread blocks exactly as it does in GetMessageW on Windows
 * (its JS event loop does not turn while it sleeps).
 */
export function sleepUntilWoken(flag: Int32Array, timeoutMs: number | undefined): void {
  Atomics.wait(flag, 0, 0, timeoutMs === undefined ? Infinity : Math.max(0, timeoutMs));
}

/** Main-thread side: wake the sleeping engine thread. */
export function notifyWake(flag: Int32Array): void {
  Atomics.notify(flag, 0);
}
