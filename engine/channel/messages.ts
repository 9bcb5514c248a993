/**
 * What crosses between the engine's main thread and its engine thread. Both
 * sides depend on these types; they depend on neither side.
 */
import type { Capabilities, Command, EngineEvent, ErrorInfo, Monitor } from '../../protocol';
import type { WakeHandle } from '../platform/platform';

/** Image bytes as they sit in a command, and their decoded pixels. */
export interface AttachedImage {
  data: Uint8Array;
  image: { width: number; height: number; rgba: Uint8ClampedArray };
}

/** Who a session is, for `status`. */
export interface SessionMeta {
  name: string;
  pid: number;
  connectedAt: string;
}

/** Main thread → engine thread. Posted in arrays, one post per burst. */
export type ToEngine =
  | { t: 'open'; session: number; meta: SessionMeta }
  /** `images`: pixels decoded for image bytes inside `cmd`, posted in the same message so the arrays stay identical. */
  | { t: 'cmd'; session: number; cmd: Command; restored?: { x: number; y: number }; images?: AttachedImage[] }
  /**
   * A run of the session's frames as received. `execute`: validated
   * commands, run from these bytes (decoding is cheaper than cloning
   * objects); otherwise decoded only, to follow the stream's record
   * definitions.
   */
  | { t: 'frames'; session: number; frames: Uint8Array; execute: boolean }
  /**
   * A command the main thread refused (validation, image decode): its
   * error event goes back through this thread so it reaches the client
   * after the errors of the commands sent before it.
   */
  | { t: 'error'; session: number; event: Extract<EngineEvent, { type: 'error' }> }
  /** `bytesExchanged`: what the client sent, and what was queued for it, over its life; both threads handled it, so it counts toward a tidy. */
  | { t: 'close'; session: number; bytesExchanged: number }
  | { t: 'shutdown' };

/** Engine thread → main thread. Posted in arrays, one post per loop cycle. */
export type FromEngine =
  | { t: 'ready'; capabilities: Capabilities; monitors: Monitor[]; wake: WakeHandle }
  | { t: 'reply'; session: number; seq: number; result: unknown }
  | { t: 'fail'; session: number; seq: number; error: ErrorInfo }
  | { t: 'event'; session: number; event: EngineEvent }
  /** How many units (frames, command objects) of each session's work the engine thread ran (flow control). */
  | { t: 'applied'; counts: Array<[session: number, units: number]> }
  /** A surface with a positionKey was moved; the main thread persists it. */
  | { t: 'position'; key: string; x: number; y: number }
  /** The platform asked to quit (end of Windows session, stop op). */
  | { t: 'shutdownRequested'; reason: string }
  | { t: 'stopped' }
  | { t: 'log'; level: 'info' | 'warn' | 'error'; message: string };
