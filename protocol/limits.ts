/**
 * Every limit the engine enforces, in one place. Each is checked at the edge
 * (at the limit works, one past gets `limitExceeded`) and documented in
 * docs/protocol.md.
 */
export const LIMITS = {
  /** Largest frame body, in bytes, either direction. */
  maxFrameBytes: 16 * 1024 * 1024,
  /** Surfaces (HUDs, panels, pips, trays) one session may own at once. */
  maxSurfacesPerSession: 1024,
  /** Elements in one surface's scene. */
  maxElementsPerSurface: 4096,
  /** Physical pixels of one surface (width × height after DPI scaling). */
  maxPixelsPerSurface: 4096 * 4096,
  /** Largest logical width or height of a surface. */
  maxSurfaceSide: 8192,
  /** Characters in one text element or tooltip-like string. */
  maxTextLength: 16 * 1024,
  /** Bytes of one encoded image, inline or read from a file. */
  maxImageBytes: 8 * 1024 * 1024,
  /** Operations in one `draw` element. */
  maxDrawOps: 10_000,
  /** Commands in one `batch`. */
  maxBatchCommands: 10_000,
  /** Events waiting on the engine side for a session that does not read them. */
  maxPendingEventsPerSession: 10_000,
  /** Bytes waiting in one session's outgoing pipe buffer before events are dropped. */
  maxPendingBytesPerSession: 8 * 1024 * 1024,
  /** Items in a tray menu. */
  maxMenuItems: 256,
} as const;

export type Limits = typeof LIMITS;

/** Marks a validation message as a limit, so it maps to the `limitExceeded` code. */
export const LIMIT_MESSAGE_PREFIX = 'limit exceeded: ';

export function overLimit(name: keyof Limits): string {
  return `${LIMIT_MESSAGE_PREFIX}${name} is ${LIMITS[name]}`;
}
