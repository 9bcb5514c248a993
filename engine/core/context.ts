import type { Capabilities, CommandFor, EngineStatus, Monitor, OpName, SurfaceId, SurfaceKind } from '../../protocol';
import type { SceneProjection } from './budgets';
import type { Platform, TestInput } from '../platform/platform';
import type { SessionMeta } from '../channel/messages';
import type { Outbox } from './outbox';
import type { Registry } from './registry';
import type { Renderer } from './renderer';
import type { Surface } from './surface';

/** Facts about the running engine that `status` reports. */
export interface EngineInfo {
  version: string;
  pid: number;
  endpoint: string;
  startedAt: string;
  persistent: boolean;
  idleExitMs: number | null;
}

/** What handlers may use. One instance, owned by EngineCore. */
export interface EngineContext {
  readonly platform: Platform;
  readonly registry: Registry;
  readonly outbox: Outbox;
  readonly sessions: Map<number, SessionMeta>;
  readonly info: EngineInfo;
  /** The platform's test input, if the engine was started with --test-input. */
  readonly testInput: TestInput | null;
  readonly renderer: Renderer;
  /** Counters reported by `status`. */
  readonly stats: EngineStatus['stats'];
  monitors(): Monitor[];
  capabilities(): Capabilities;
  requestShutdown(reason: string): void;
  /** Handle the platform's queued events now (simulated input takes effect before the next command). */
  handlePlatformEvents(): void;
}

/** Who sent a command, and what the main thread attached to it. */
export interface Invocation {
  session: number;
  seq: number;
  /** Position saved under the command's positionKey, if any. */
  restored?: { x: number; y: number };
}

/** Bookkeeping while a batch is checked, so later entries see earlier ones. */
export interface BatchPlan {
  destroyed: Set<string>;
  /** Element keys each surface will gain. */
  addedKeys: Map<string, Set<string>>;
  /** Surfaces the batch changes, as it would leave them (their budgets). */
  surfaces: Map<SurfaceId, SceneProjection>;
}

/**
 * One op's behaviour. `check` throws a PanepipeError if the command cannot
 * apply and must change nothing; `apply` then cannot fail. Ops that reply
 * return their result from `apply`.
 */
export interface Handler<O extends OpName> {
  /** The op targets `cmd.surface`, which must be owned and of one of these kinds. */
  kinds?: readonly SurfaceKind[];
  /**
   * Apply (and answer) only once every surface of the session is on screen
   * as the commands before it left it. 'barrier' (a `sync`): the session's
   * later commands go on meanwhile, and may share its frames, so a burst of
   * update + `sync` pairs costs a frame per cycle, not one per pair.
   * 'capture' (a `screenshot`): what it reads is the screen, so the
   * session's later commands wait until it has answered.
   */
  afterFrames?: 'barrier' | 'capture';
  /** `plan`: null outside a batch. */
  check?(ctx: EngineContext, cmd: CommandFor<O>, target: Surface | undefined, inv: Invocation, plan: BatchPlan | null): void;
  apply(ctx: EngineContext, cmd: CommandFor<O>, target: Surface | undefined, inv: Invocation): unknown;
}

export type HandlerTable = { [O in OpName]: Handler<O> };
