/**
 * Every limit the engine enforces, in one place. Each is checked at the edge
 * (at the limit works, one past gets `limitExceeded`) and documented in
 * docs/protocol.md.
 */
export const LIMITS = {
  /** Largest frame body, in bytes, either direction. Past it the session is closed after the error: nothing after the header is read. */
  maxFrameBytes: 16 * 1024 * 1024,
  /**
   * Largest frame body before the hello is accepted. The largest legal hello
   * (a 256-character name and token, every character 3 UTF-8 bytes) is under
   * 1.7 KiB, so an unauthenticated connection never buffers more than this.
   */
  maxHelloBytes: 4 * 1024,
  /**
   * Milliseconds a connection may stay open without a hello. The client
   * library writes it as soon as it connects, so a loaded machine takes
   * milliseconds; 3 s bounds how long unauthenticated connections are held.
   */
  handshakeTimeoutMs: 3_000,
  /**
   * Keys of one map or one record shape in a client's frame: more than any
   * command's object has (19 today), so such a frame is refused before it
   * is decoded. Bounds what one shape and one map cost to build and check.
   */
  maxObjectKeys: 64,
  /**
   * Record shapes one connection holds at once: msgpackr's one-byte record
   * ids, the ones its encoder uses. A shape defined under a two-byte id is
   * refused before it is decoded.
   */
  maxRecordShapes: 64,
  /**
   * msgpack values (numbers, strings, keys, maps, arrays…) in one client
   * frame, counted by the same walk before it is decoded. Decoding a frame is
   * one block of main-thread time and garbage (800,000 numbers: 10–25 ms and
   * 13 MB), so a frame no command could use is refused unread: 256 Ki values
   * hold a draw element filled to `maxPointsPerDraw` twice over, or a batch
   * of 10,000 plain-map commands.
   */
  maxValuesPerFrame: 256 * 1024,
  /** UTF-8 bytes of one error message sent to a client; a longer one is cut, saying how much was left out. */
  maxErrorMessageBytes: 1024,
  /** Surfaces (HUDs, panels, pips, trays) one session may own at once. */
  maxSurfacesPerSession: 1024,
  /** Elements in one surface's scene. */
  maxElementsPerSurface: 4096,
  /**
   * Physical pixels of one surface (width × height after DPI scaling): a
   * full 4K monitor (3840 × 2160) fits. Every frame is read back and
   * presented whole, so a surface's size is part of its render cost: at
   * 4096 × 4096 a frame alone took 35–85 ms on the reference machine.
   */
  maxPixelsPerSurface: 4096 * 2048,
  /** Largest logical width or height of a surface. */
  maxSurfaceSide: 8192,
  /**
   * Physical pixels of all of one session's surfaces together: full-screen
   * overlays on four 4K monitors (4 × 3840 × 2160 is under 32 Mi), 128 MiB
   * of frames. Checked on create, setSize, and a setPosition to another
   * DPI.
   */
  maxPixelsPerSession: 32 * 1024 * 1024,
  /**
   * Estimated cost of rendering one surface, in units of about a nanosecond
   * of rendering on a 2-core reference machine: its pixels, and each
   * element's characters, edges, rows, stroke area and covered pixels
   * (docs/reliability.md#render-cost-and-budgets). What fits renders in
   * about 20 ms, so another client's command waits for at most about that.
   */
  maxRenderCostPerSurface: 20_000_000,
  /**
   * Bytes of decoded pixels (width × height × 4) of the images one session's
   * surfaces hold: image elements, draw image ops and tray icons.
   */
  maxImagePixelBytesPerSession: 256 * 1024 * 1024,
  /** Characters in one text element or tooltip-like string. */
  maxTextLength: 16 * 1024,
  /** Bytes of one encoded image; the client library refuses a larger file before reading it. */
  maxImageBytes: 8 * 1024 * 1024,
  /** Operations in one `draw` element. */
  maxDrawOps: 10_000,
  /**
   * Points of one `draw` element: polyline points and path commands, all
   * its ops together. Each is at least one edge, and an edge costs 300 of the
   * render budget's units, so more could never fit a surface's render cost;
   * refused here, before the engine thread decodes a frame of numbers.
   */
  maxPointsPerDraw: 65_536,
  /** Commands in one `batch`. */
  maxBatchCommands: 10_000,
  /** Events waiting on the engine side for a session that does not read them. */
  maxPendingEventsPerSession: 10_000,
  /** Bytes waiting in one session's outgoing pipe buffer before events are dropped. */
  maxPendingBytesPerSession: 8 * 1024 * 1024,
  /**
   * Bytes of replies and events queued for one session and not yet taken by
   * its pipe. Room for four of the largest reply (a 16 MiB snapshot), so only
   * a client that stops reading gets here: the engine then stops reading it,
   * drops what was queued, disconnects it and logs why.
   */
  maxQueuedBytesPerSession: 64 * 1024 * 1024,
  /**
   * Milliseconds a client may leave more than a MiB of its replies and events
   * unread. Meanwhile the engine reads none of its requests; past this it is
   * disconnected with a logged reason. Generous for a client busy for a
   * moment, short enough that a stuck one does not hold its surfaces for long.
   */
  maxUnreadMs: 5_000,
  /** Items in a tray menu. */
  maxMenuItems: 256,
} as const;

export type Limits = typeof LIMITS;

/** Marks a validation message as a limit, so it maps to the `limitExceeded` code. */
export const LIMIT_MESSAGE_PREFIX = 'limit exceeded: ';

export function overLimit(name: keyof Limits): string {
  return `${LIMIT_MESSAGE_PREFIX}${name} is ${LIMITS[name]}`;
}
