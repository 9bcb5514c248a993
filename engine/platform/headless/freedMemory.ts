/**
 * Hands memory that the C heap holds free back to the OS, on Linux with
 * glibc. glibc keeps what the engine's threads freed in their heaps for
 * reuse (frames, canvases, a client's surfaces) until a trim; a heap whose
 * top is still in use is never trimmed by itself. Elsewhere (musl, macOS)
 * there is no such call, and this does nothing.
 */
import * as koffi from 'koffi';

let mallocTrim: ((pad: number) => number) | null | undefined;

export function trimCHeap(): void {
  if (mallocTrim === undefined) mallocTrim = process.platform === 'linux' ? loadMallocTrim() : null;
  mallocTrim?.(0);
}

function loadMallocTrim(): ((pad: number) => number) | null {
  try {
    return koffi.load('libc.so.6').func('int malloc_trim(size_t pad)') as (pad: number) => number;
  } catch {
    return null; // not glibc
  }
}
