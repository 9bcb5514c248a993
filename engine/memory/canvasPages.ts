/**
 * The canvas library's allocator (mimalloc, inside @napi-rs/canvas) hands
 * freed pages back to the OS only after a purge delay, and only when it is
 * next called, which an engine gone quiet never does: a client's large
 * surfaces stayed resident after it left (4 × 4096×2048: 246 MiB 5 s later,
 * idle 106). With no delay they go back when freed, for about 8 % on a
 * 1920×1080 frame. mimalloc reads its options when it loads, so this must
 * run before the library does; a value set by the operator is kept.
 */
export function returnCanvasPagesAtOnce(): void {
  process.env.MIMALLOC_PURGE_DELAY ??= '0';
}
