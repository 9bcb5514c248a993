/**
 * The engine thread's loop gives its own event loop one turn between cycles.
 *
 * Why: the thread spends its life blocked in the platform's wait
 * (Atomics.wait, GetMessageW), and whatever Node runs from the event loop
 * never happens while it does. That includes freeing native memory: the
 * finalizers of external buffers (every `canvas.data()` of
 * @napi-rs/canvas) are queued by the garbage collector and run only by the
 * event loop, and so are V8's own foreground GC tasks. A loop that never
 * turns grows by every frame it presents.
 *
 * A turn is a `setImmediate`: not a timer, no polling. An idle engine still
 * sleeps in the platform's wait, inside `step`, until woken.
 */
export function stepEveryTurn(step: () => boolean, exit: () => void): void {
  const next = (): void => {
    if (step()) setImmediate(next);
    else exit();
  };
  setImmediate(next);
}
