import type { MessagePort } from 'node:worker_threads';
import type { Command, EngineEvent, ErrorInfo, Monitor, Capabilities } from '../../protocol';
import type { BackendName, WakeHandle } from '../platform/platform';
import type { EngineInfo } from '../core/context';
import type { AttachedImage } from '../core/renderer';

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

/** What the main thread hands the engine thread at start. */
export interface EngineThreadData {
  backend: BackendName;
  /** Int32Array over a SharedArrayBuffer: [0] = wake pending. */
  wakeFlag: SharedArrayBuffer;
  /** MessagePort the engine thread drains with receiveMessageOnPort. */
  commands: MessagePort;
  monitorsSpec: string;
  testInput: boolean;
  fonts: string[];
  info: EngineInfo;
}
