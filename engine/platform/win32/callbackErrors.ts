/**
 * JS callbacks that Windows calls (window procedures, hooks) must not throw
 * through native frames. They catch here; the loop rethrows the first error
 * once control is back in JavaScript it owns, so a bug fails the engine
 * thread the same way it does on headless instead of corrupting the stack.
 */
let pending: unknown = null;
let failed = false;

export function guard<A extends unknown[], R>(fn: (...args: A) => R, fallback: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return fn(...args);
    } catch (err) {
      if (!failed) {
        failed = true;
        pending = err;
      }
      return fallback(...args);
    }
  };
}

/** Rethrows the first error a callback caught, if any. */
export function rethrowCallbackError(): void {
  if (!failed) return;
  const err = pending;
  failed = false;
  pending = null;
  throw err;
}
