/**
 * The C heap (glibc's malloc) of an engine on Linux. Elsewhere (musl,
 * macOS) there are no such calls, and these do nothing.
 */
import { M_ARENA_MAX, glibc } from './libc';

/**
 * One malloc arena for the whole process instead of up to eight per core.
 * glibc gives a thread that meets contention an arena of its own and never
 * merges them: the engine's threads (main, engine thread, libuv's pool)
 * each kept megabytes of a burst's frees in their own arena, which a trim
 * reaches only page by page. With one, what a departed client used is freed
 * into one heap and goes back to the OS with it (the churn soak: 1.42×
 * idle after its clients left with the default, 1.16× with one).
 * Arenas made before this call stay, so it runs first thing.
 */
export function shareOneCHeap(): void {
  glibc()?.mallopt(M_ARENA_MAX, 1);
}

/**
 * Hands memory the C heap holds free back to the OS: glibc keeps what the
 * engine's threads freed (frames, canvases, a client's surfaces) for reuse
 * until a trim, and a heap whose top is still in use is never trimmed by
 * itself.
 */
export function trimCHeap(): void {
  glibc()?.malloc_trim(0);
}
