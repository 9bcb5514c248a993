/**
 * Hands memory that the C heap holds free back to the OS, on Linux with
 * glibc. glibc keeps what the engine's threads freed in their heaps for
 * reuse (frames, canvases, a client's surfaces) until a trim; a heap whose
 * top is still in use is never trimmed by itself. Elsewhere (musl, macOS)
 * there is no such call, and this does nothing.
 */
import { glibc } from '../linux/libc';

export function trimCHeap(): void {
  glibc()?.malloc_trim(0);
}
