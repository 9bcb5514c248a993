import { LIMITS } from './limits';

/**
 * An error message cut to `maxErrorMessageBytes` of UTF-8, saying how much
 * was left out. Messages quote what the client sent (keys, values, paths),
 * so without this one bad request could cost megabytes of reply.
 */
export function boundedMessage(message: string): string {
  const max = LIMITS.maxErrorMessageBytes;
  // Every UTF-16 unit is at most 3 UTF-8 bytes: most messages need no count at all.
  if (message.length * 3 <= max) return message;
  const bytes = Buffer.byteLength(message);
  if (bytes <= max) return message;
  const note = ` … (${bytes} bytes, cut)`;
  let kept = message.slice(0, max - Buffer.byteLength(note));
  while (Buffer.byteLength(kept) + Buffer.byteLength(note) > max) kept = kept.slice(0, Math.floor(kept.length * 0.9));
  // Never end on half of a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return kept + note;
}
