import {
  PanepipeError,
  commandStreamCodec,
  isReplyingOp,
  type BatchEntry,
  type Capabilities,
  type Command,
  type Monitor,
  type OpName,
  type StreamCodec,
} from '../../protocol';
import type { Platform, PlatformEvent, TestInput } from '../platform/platform';
import type { SessionMeta, ToEngine } from '../channel/messages';
import { anchorBounds } from './anchoring';
import type { BatchPlan, EngineContext, EngineInfo, Handler, Invocation } from './context';
import { FairQueue, type SessionItem, type TimeBudget, type WorkHandlers } from './fairQueue';
import { FADE_STEP_MS, stepFade } from './fades';
import { markCaptureDue, nextCaptureAt } from './pipCapture';
import { surfaceUpdate } from './frames';
import { monitorAt, toLogicalPoint, toPhysical } from './geometry';
import { HANDLERS } from './handlers';
import { InputTracker } from './input';
import { destroySession, notePosition, setBounds, setVisible } from './lifecycle';
import type { Outbox } from './outbox';
import { Registry } from './registry';
import type { Renderer } from './renderer';
import type { Surface } from './surface';

/** Margin between a tray icon and its popup panel, logical pixels. */
const POPUP_GAP = 8;
/**
 * While more commands already wait, a changed surface is presented at most
 * this often: a flood of updates costs one render per interval instead of
 * one per loop cycle. Sparse updates (nothing waiting) present at once.
 */
const BUSY_PRESENT_INTERVAL_MS = 8;
/**
 * Units of work (frames, command objects) one loop cycle runs at most, and
 * how many one session runs before the next session's turn. A cycle is then
 * a few milliseconds at most, so input and presenting keep their pace under
 * a flood, and a light client waits one turn behind a flooding one.
 */
const CYCLE_BUDGET = 2048;
const TURN_QUANTUM = 256;
/**
 * Milliseconds of command work one session's turn and one cycle take at
 * most (after the unit that crosses them): a session whose commands are
 * slow cannot hold the thread for a whole quantum of them.
 */
const COMMAND_TIME: Omit<TimeBudget, 'now'> = { turnMs: 2, cycleMs: 8 };
/**
 * Milliseconds of rendering one cycle starts at most: rendering stops once
 * this much is spent (one render always runs, and one render is bounded by
 * LIMITS.maxRenderCostPerSurface), and commands run before the rest.
 */
const RENDER_SLICE_MS = 4;
/**
 * After a session's render of d ms, its next render waits d × this: one
 * client that renders without pause gets at most half the engine thread,
 * so other clients' commands find it free half the time and the machine's
 * cores are not saturated by one client's frames. Renders of a millisecond
 * (most HUDs) are not slowed.
 */
const RENDER_PACE = 1;
/**
 * And it waits this long per physical pixel of the frame: every frame is
 * read back into new memory that the engine thread then collects, so a
 * session's frames are paced by their size too (a 4K frame at most every
 * 25 ms; a 300 × 100 HUD's, 0.1 ms). Unpaced, one 4096 × 2048 surface
 * re-set without pause (48 frames/s) pushed another client's round trip
 * p99 to 110 ms; paced, under 30 ms.
 */
const FRAME_PACE_MS_PER_PIXEL = 3e-6;

/**
 * The engine thread's state machine: applies commands, turns platform
 * events into client events, presents changed surfaces. Everything here is
 * synchronous; it runs between waits of the platform loop.
 */
export class EngineCore implements EngineContext {
  readonly registry = new Registry();
  readonly sessions = new Map<number, SessionMeta>();
  readonly stats = { commands: 0, framesPresented: 0, pixelsPresented: 0, sessionsClosed: 0 };
  /** Work the main thread posted, run in turns per session. */
  private readonly queue = new FairQueue();
  /** Units of work run per session since the last report. */
  private applied = new Map<number, number>();
  private readonly input = new InputTracker();
  private shutdownRequested = false;
  /** Commands that answer once their session's surfaces are on screen, by session (its work waits meanwhile). */
  private readonly afterFrames = new Map<number, Array<{ cmd: Command; inv: Invocation; handler: Handler<OpName>; target: Surface | undefined }>>();
  /** The session whose surface rendered last: the next cycle starts with the session after it. */
  private lastRendered = -1;
  /** When each session that rendered may render again (RENDER_PACE). */
  private readonly renderReadyAt = new Map<number, number>();
  /** Each session's command stream decoder (records need every frame, in order). */
  private readonly streams = new Map<number, StreamCodec>();
  private readonly caps: Capabilities;

  constructor(
    readonly platform: Platform,
    readonly outbox: Outbox,
    readonly renderer: Renderer,
    readonly info: EngineInfo,
    readonly testInput: TestInput | null,
  ) {
    this.caps = { backend: platform.name, testInput: testInput !== null, ...platform.capabilities() };
  }

  monitors(): Monitor[] {
    return this.platform.monitors();
  }

  capabilities(): Capabilities {
    return this.caps;
  }

  private readonly logInternal = (message: string): void => this.outbox.send({ t: 'log', level: 'error', message });

  requestShutdown(reason: string): void {
    if (this.shutdownRequested) return;
    this.shutdownRequested = true;
    this.outbox.send({ t: 'shutdownRequested', reason });
  }

  // ---- channel --------------------------------------------------------------

  /** Queue what the main thread posted; a shutdown acts at once (queued work is moot). */
  receive(items: readonly ToEngine[]): void {
    for (const item of items) {
      if (item.t !== 'shutdown') this.queue.push(item);
      else {
        this.queue.clear();
        this.afterFrames.clear();
        this.destroyAll();
      }
    }
  }

  /** Commands are queued that can run now: the loop should come straight back. */
  get hasQueuedWork(): boolean {
    return this.queue.hasRunnable;
  }

  /** Run one cycle's share of the queued work, sessions taking turns. */
  runQueued(): void {
    this.queue.run(CYCLE_BUDGET, TURN_QUANTUM, this.work, { ...COMMAND_TIME, now: () => performance.now() });
  }

  private readonly work: WorkHandlers = {
    item: (item) => this.runItem(item),
    frame: (session, frames, start, end, execute) => this.runFrame(session, frames, start, end, execute),
    took: (session, units) => this.applied.set(session, (this.applied.get(session) ?? 0) + units),
  };

  private runItem(item: Exclude<SessionItem, { t: 'frames' }>): void {
    switch (item.t) {
      case 'open':
        this.sessions.set(item.session, item.meta);
        this.streams.set(item.session, commandStreamCodec());
        break;
      case 'cmd':
        if (item.images) this.renderer.adoptImages(item.images);
        this.execute(item.cmd, { session: item.session, seq: item.cmd.seq, ...(item.restored ? { restored: item.restored } : {}) });
        break;
      case 'error':
        this.outbox.event(item.session, item.event);
        break;
      case 'close':
        this.closeSession(item.session);
        break;
    }
  }

  /**
   * One of a session's frames, in the order they arrived. Every frame after
   * the handshake comes here, so this thread's decoder keeps the same record
   * definitions as the main thread's. `execute`: the main thread validated
   * it as exactly what it decodes to; otherwise it is only decoded (its
   * command, if any, comes as an object).
   */
  private runFrame(session: number, frames: Uint8Array, start: number, end: number, execute: boolean): void {
    const codec = this.streams.get(session);
    if (!codec) return;
    let value: unknown;
    try {
      value = codec.unpack(frames, { start, end });
    } catch (err) {
      // Expected for a skipped frame the main thread could not decode either.
      if (execute) this.logInternal(`a validated frame did not decode again: ${String(err)}`);
      return;
    }
    if (!execute) return;
    const cmd = value as Command;
    this.execute(cmd, { session, seq: cmd.seq });
  }

  /**
   * Report what this cycle ran, so the main thread can let more in. Sent
   * at once: the main thread then reads and validates the next commands
   * while this thread renders.
   */
  reportApplied(): void {
    if (this.applied.size === 0) return;
    this.outbox.sendNow({ t: 'applied', counts: [...this.applied] });
    this.applied = new Map();
  }

  closeSession(session: number): void {
    this.streams.delete(session);
    this.afterFrames.delete(session);
    this.renderReadyAt.delete(session);
    this.queue.resume(session);
    for (const s of this.registry.ofSession(session)) this.input.forget(s.id);
    destroySession(this, session);
    this.sessions.delete(session);
    this.stats.sessionsClosed++;
  }

  destroyAll(): void {
    for (const session of new Set([...this.registry.all()].map((s) => s.session))) this.closeSession(session);
  }

  execute(cmd: Command, inv: Invocation): void {
    this.stats.commands++;
    this.answer(cmd, inv, () => (cmd.op === 'batch' ? this.runBatch(cmd.commands, inv) : this.runOne(cmd, inv)));
  }

  /** Run `work` for `cmd` and answer with its result, or its error. */
  private answer(cmd: Command, inv: Invocation, work: () => unknown): void {
    try {
      const result = work();
      if (result === DEFERRED) return;
      if (isReplyingOp(cmd.op)) this.outbox.reply(inv.session, inv.seq, result ?? {});
    } catch (err) {
      const error = asPanepipeError(err, cmd.op, this.logInternal);
      if (isReplyingOp(cmd.op)) this.outbox.fail(inv.session, inv.seq, error.toInfo());
      else this.outbox.event(inv.session, { type: 'error', seq: inv.seq, op: cmd.op, code: error.code, message: error.message });
    }
  }

  private target(cmd: { op: OpName; surface?: string }, inv: Invocation, handler: Handler<OpName>, plan: BatchPlan | null): Surface | undefined {
    if (!handler.kinds) return undefined;
    if (plan?.destroyed.has(cmd.surface!)) {
      throw new PanepipeError('unknownSurface', `${cmd.op}: surface "${cmd.surface}" is destroyed earlier in this batch`);
    }
    return this.registry.owned(inv.session, cmd.surface!, cmd.op, handler.kinds);
  }

  private runOne(cmd: Command, inv: Invocation): unknown {
    const handler = HANDLERS[cmd.op] as Handler<OpName>;
    const target = this.target(cmd, inv, handler, null);
    handler.check?.(this, cmd as never, target, inv, null);
    if (!handler.afterFrames) return handler.apply(this, cmd as never, target, inv);
    // It applies and answers once its session's surfaces are on screen.
    const waiting = this.afterFrames.get(inv.session);
    if (waiting) waiting.push({ cmd, inv, handler, target });
    else this.afterFrames.set(inv.session, [{ cmd, inv, handler, target }]);
    if (handler.afterFrames === 'capture') this.queue.pause(inv.session);
    return DEFERRED;
  }

  /** All or nothing: every entry is checked against the state the earlier ones leave, then all apply. */
  private runBatch(entries: BatchEntry[], inv: Invocation): void {
    const plan = newPlan();
    const checked = entries.map((entry, i) => {
      const cmd = { ...entry, seq: inv.seq } as Command;
      const handler = HANDLERS[cmd.op] as Handler<OpName>;
      try {
        const target = this.target(cmd, inv, handler, plan);
        handler.check?.(this, cmd as never, target, inv, plan);
        return { cmd, handler, target };
      } catch (err) {
        const error = asPanepipeError(err, cmd.op, this.logInternal);
        throw new PanepipeError(error.code, `batch: commands.${i} (${cmd.op}) failed, nothing applied: ${error.message}`);
      }
    });
    for (const { cmd, handler, target } of checked) handler.apply(this, cmd as never, target, inv);
  }

  // ---- platform events ----------------------------------------------------

  handlePlatformEvents(): void {
    for (const ev of this.platform.takeEvents()) this.handlePlatformEvent(ev);
  }

  private handlePlatformEvent(ev: PlatformEvent): void {
    switch (ev.type) {
      case 'pointer':
        this.input.handle(this, ev);
        break;
      case 'windowMoved': {
        const s = this.registry.byPlatformHandle(ev.window);
        if (!s) break;
        const at = toLogicalPoint(this.monitors(), ev.x, ev.y);
        s.bounds = { ...s.bounds, x: Math.round(at.x), y: Math.round(at.y) };
        this.outbox.event(s.session, { type: 'surfaceMoved', surface: s.id, x: s.bounds.x, y: s.bounds.y });
        notePosition(this, s);
        break;
      }
      case 'trayClicked': {
        const tray = this.registry.byPlatformHandle(ev.tray);
        if (!tray) break;
        this.outbox.event(tray.session, { type: 'trayClicked', tray: tray.id, button: ev.button, double: ev.double });
        if (ev.button === 'left' && !ev.double) this.togglePopup(tray);
        break;
      }
      case 'trayMenuItem': {
        const tray = this.registry.byPlatformHandle(ev.tray);
        if (tray) this.outbox.event(tray.session, { type: 'trayMenuItemClicked', tray: tray.id, itemId: ev.itemId });
        break;
      }
      case 'foreignMoved':
        for (const s of this.registry.all()) {
          if (s.anchor?.target === ev.foreign) {
            const bounds = anchorBounds(this, s);
            if (bounds) setBounds(this, s, bounds);
            if (bounds && s.anchor.reportMoves) this.outbox.event(s.session, { type: 'surfaceMoved', surface: s.id, x: bounds.x, y: bounds.y });
          }
          if (s.pip?.source === ev.foreign) s.needsPresent = true;
        }
        break;
      case 'foreignClosed':
        for (const s of this.registry.all()) {
          if (s.anchor?.target === ev.foreign) {
            s.anchor = null;
            this.outbox.event(s.session, { type: 'anchorTargetClosed', surface: s.id });
          }
          if (s.pip?.source === ev.foreign) {
            s.needsPresent = true;
            this.outbox.event(s.session, { type: 'pipSourceClosed', surface: s.id });
          }
        }
        break;
      case 'displayChanged': {
        const monitors = this.monitors();
        for (const session of this.sessions.keys()) this.outbox.event(session, { type: 'displayChanged', monitors });
        for (const s of this.registry.all()) {
          if (s.kind !== 'tray') {
            this.platform.setBounds(s.handle, toPhysical(monitors, s.bounds));
            s.needsPresent = true;
          }
        }
        break;
      }
      case 'dpiChanged': {
        const s = this.registry.byPlatformHandle(ev.window);
        if (!s) break;
        s.needsPresent = true;
        this.outbox.event(s.session, { type: 'dpiChanged', surface: s.id, dpi: ev.dpi, scale: ev.dpi / 96 });
        break;
      }
      case 'shutdownRequested':
        this.requestShutdown(ev.reason);
        break;
    }
  }

  /** Left click on a tray icon shows its popup next to the icon, or hides it. */
  private togglePopup(tray: Surface): void {
    const popup = tray.tray?.popup ? this.registry.get(tray.tray.popup) : undefined;
    if (!popup) return;
    if (popup.visible) {
      setVisible(this, popup, false);
      return;
    }
    const icon = this.platform.trayIconRect(tray.handle);
    if (icon) {
      const monitors = this.monitors();
      const at = toLogicalPoint(monitors, icon.x + icon.width, icon.y);
      // The icon's own monitor: the taskbar holding it need not be on the first one.
      const work = monitorAt(monitors, icon.x + icon.width / 2, icon.y + icon.height / 2, 'physical').workArea;
      const x = Math.max(work.x, Math.min(at.x - popup.bounds.width, work.x + work.width - popup.bounds.width));
      const y = Math.max(work.y, Math.min(at.y - popup.bounds.height - POPUP_GAP, work.y + work.height - popup.bounds.height));
      setBounds(this, popup, { ...popup.bounds, x: Math.round(x), y: Math.round(y) });
    }
    this.platform.setOpacity(popup.handle, popup.opacity);
    setVisible(this, popup, true);
  }

  // ---- frames ---------------------------------------------------------------

  /**
   * Advance fades and present visible surfaces whose pixels changed, in
   * slices: rendering stops once RENDER_SLICE_MS is spent (after at least
   * one render), so other clients' commands wait for one render, not for
   * every changed surface. Sessions take turns, one surface each, starting
   * after the session served last; within a session the surface presented
   * longest ago goes first; a session renders again only after its pause
   * (RENDER_PACE). What is left renders in the next cycles, after their
   * commands. The cycle's replies are posted first: they need no frame.
   * `busy`: more commands already wait, so a surface presented less than
   * BUSY_PRESENT_INTERVAL_MS ago may wait for a later cycle, unless its
   * session waits for its frames (a `sync`).
   */
  present(now: number, busy = false): void {
    this.outbox.flush();
    const due = new Map<number, Surface[]>();
    for (const s of this.registry.all()) {
      if (s.fade) stepFade(this, s, now);
      markCaptureDue(this, s, now);
      if (!needsFrame(s) || this.pausedAt(s.session, now)) continue;
      if (busy && !this.afterFrames.has(s.session) && now - s.presentedAt < BUSY_PRESENT_INTERVAL_MS) continue;
      const list = due.get(s.session);
      if (list) list.push(s);
      else due.set(s.session, [s]);
    }
    const sessions = [...due.keys()].sort((a, b) => a - b);
    const first = sessions.findIndex((session) => session > this.lastRendered);
    const order = first < 0 ? sessions : [...sessions.slice(first), ...sessions.slice(0, first)];
    for (const list of due.values()) list.sort((a, b) => a.presentedAt - b.presentedAt);
    const sliceEnd = performance.now() + RENDER_SLICE_MS;
    let rendered = 0;
    slices: for (let round = 0, more = true; more; round++) {
      more = false;
      for (const session of order) {
        const s = due.get(session)![round];
        if (!s) continue;
        const started = performance.now();
        if (rendered > 0 && (started >= sliceEnd || this.pausedAt(session, started))) break slices;
        const pixels = this.presentSurface(s, now);
        const ended = performance.now();
        this.renderReadyAt.set(session, ended + (ended - started) * RENDER_PACE + pixels * FRAME_PACE_MS_PER_PIXEL);
        this.lastRendered = session;
        rendered++;
        more = true;
      }
    }
    this.settleAfterFrames();
  }

  /** The session must still wait before it renders again. */
  private pausedAt(session: number, now: number): boolean {
    return (this.renderReadyAt.get(session) ?? -Infinity) > now;
  }

  /** Render and present what changed on `s`; returns how many pixels that was. */
  private presentSurface(s: Surface, now: number): number {
    const update = surfaceUpdate(this, s);
    const pixels = update ? update.frame.width * update.frame.height : 0;
    if (update) {
      this.platform.present(s.handle, update);
      this.stats.framesPresented++;
      this.stats.pixelsPresented += pixels;
    }
    s.presentedVersion = s.scene?.version ?? 0;
    s.presentedAt = now;
    s.needsPresent = false;
    return pixels;
  }

  /** Answer the commands waiting for their sessions' frames once those are all presented, and let those sessions go on. */
  private settleAfterFrames(): void {
    for (const [session, waiting] of this.afterFrames) {
      if (this.registry.ofSession(session).some(needsFrame)) continue;
      this.afterFrames.delete(session);
      this.queue.resume(session);
      for (const { cmd, inv, handler, target } of waiting) this.answer(cmd, inv, () => handler.apply(this, cmd as never, target, inv));
    }
  }

  /** When the next frame can be rendered: now, or when the sessions with frames due may render again; undefined if none is due. */
  private nextFrameAt(now: number): number | undefined {
    let next: number | undefined;
    for (const s of this.registry.all()) {
      if (!needsFrame(s)) continue;
      const at = Math.max(now, this.renderReadyAt.get(s.session) ?? now);
      if (at === now) return now;
      next = next === undefined ? at : Math.min(next, at);
    }
    return next;
  }

  /**
   * Queued work comes back at once, frames when they may render; only fades
   * and visible pips' captures need a timer besides; an idle engine sleeps
   * until woken.
   */
  nextDeadline(now: number): number | undefined {
    if (this.hasQueuedWork) return now;
    let next = this.nextFrameAt(now);
    for (const s of this.registry.all()) {
      if (s.fade) next = Math.min(next ?? Infinity, now + FADE_STEP_MS);
      const capture = nextCaptureAt(this, s);
      if (capture !== undefined) next = Math.min(next ?? Infinity, Math.max(now, capture));
    }
    return next;
  }
}

/** What runOne returns for a command that answers after its session's frames. */
const DEFERRED = Symbol('deferred');

/** A visible window whose pixels changed since it was last presented. */
function needsFrame(s: Surface): boolean {
  return s.kind !== 'tray' && s.visible && (s.needsPresent || (s.scene?.version ?? 0) !== s.presentedVersion);
}

function newPlan(): BatchPlan {
  return { destroyed: new Set(), addedKeys: new Map(), surfaces: new Map() };
}

function asPanepipeError(err: unknown, op: string, log: (message: string) => void): PanepipeError {
  if (err instanceof PanepipeError) return err;
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  log(`internal error in ${op}: ${message}`);
  return new PanepipeError('internal', `${op}: internal error: ${err instanceof Error ? err.message : String(err)}`);
}
