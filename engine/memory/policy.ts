/**
 * When the engine tidies its memory (a full collection, then the C heaps'
 * free pages handed to the OS): after a client leaves, once no client has
 * left and nothing was rendered for a moment, and only if enough work was
 * done since the last tidy to have left garbage worth it.
 * A tidy costs tens of milliseconds of CPU, mostly V8's full collection on
 * its helper threads, so it is never periodic: a client that polls `status`
 * every few seconds, or a seconds clock, never causes one.
 */

/** Bytes of work since the last tidy (native bytes rendered, and bytes read from clients that left, which both threads decoded) that make one worth it. */
export const TIDY_AFTER_BYTES = 4 * 1024 * 1024;
/** How long after the last client left, and the last frame, the engine thread tidies. */
export const ENGINE_THREAD_QUIET_MS = 1000;
/** From the engine thread's collection to handing the C heaps' free pages back: the collection's frees happen in the next turns. */
export const RETURN_AFTER_MS = 250;
/** The main thread's tidy, before the engine thread's, so the pages it frees are among those handed back. */
export const MAIN_THREAD_QUIET_MS = 750;
