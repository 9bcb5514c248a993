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
import type { TestDesktop } from '../platform/headless/platform';
import type { Platform, PlatformEvent } from '../platform/platform';
import type { SessionMeta, ToEngine } from '../thread/messages';
import { anchorBounds } from './anchoring';
import type { BatchPlan, EngineContext, EngineInfo, Handler, Invocation } from './context';
import { FairQueue, type SessionItem, type WorkHandlers } from './fairQueue';
import { FADE_STEP_MS, stepFade } from './fades';
import { surfaceFrame } from './frames';
import { toLogicalPoint, toPhysical } from './geometry';
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
 * The engine thread's state machine: applies commands, turns platform
 * events into client events, presents changed surfaces. Everything here is
 * synchronous; it runs between waits of the platform loop.
 */
export class EngineCore implements EngineContext {
  readonly registry = new Registry();
  readonly sessions = new Map<number, SessionMeta>();
  readonly stats = { commands: 0, framesPresented: 0, sessionsClosed: 0 };
  /** Work the main thread posted, run in turns per session. */
  private readonly queue = new FairQueue();
  /** Units of work run per session since the last report. */
  private applied = new Map<number, number>();
  private readonly input = new InputTracker();
  private shutdownRequested = false;
  private presentRequested = false;
  /** Each session's command stream decoder (records need every frame, in order). */
  private readonly streams = new Map<number, StreamCodec>();
  private readonly caps: Capabilities;

  constructor(
    readonly platform: Platform,
    readonly outbox: Outbox,
    readonly renderer: Renderer,
    readonly info: EngineInfo,
    readonly testDesktop: TestDesktop | null,
  ) {
    this.caps = { backend: platform.name, testInput: testDesktop !== null, ...platform.capabilities() };
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
        this.destroyAll();
      }
    }
  }

  /** Work is queued: the loop should come straight back. */
  get hasQueuedWork(): boolean {
    return !this.queue.isEmpty;
  }

  /** Run one cycle's share of the queued work, sessions taking turns. */
  runQueued(): void {
    this.queue.run(CYCLE_BUDGET, TURN_QUANTUM, this.work);
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
    try {
      const result = cmd.op === 'batch' ? this.runBatch(cmd.commands, inv) : this.runOne(cmd, inv);
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
    return handler.apply(this, cmd as never, target, inv);
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
      const work = monitors[0]!.workArea;
      const x = Math.max(work.x, Math.min(at.x - popup.bounds.width, work.x + work.width - popup.bounds.width));
      const y = Math.max(work.y, Math.min(at.y - popup.bounds.height - POPUP_GAP, work.y + work.height - popup.bounds.height));
      setBounds(this, popup, { ...popup.bounds, x: Math.round(x), y: Math.round(y) });
    }
    this.platform.setOpacity(popup.handle, popup.opacity);
    setVisible(this, popup, true);
  }

  // ---- frames ---------------------------------------------------------------

  requestPresent(): void {
    this.presentRequested = true;
  }

  /**
   * Advance fades and present every visible surface whose pixels changed.
   * `busy`: more commands are already waiting, so a surface presented less
   * than BUSY_PRESENT_INTERVAL_MS ago may wait for a later cycle (the loop
   * comes straight back for those commands).
   */
  present(now: number, busy = false): void {
    const mayDefer = busy && !this.presentRequested;
    this.presentRequested = false;
    for (const s of this.registry.all()) {
      if (s.fade) stepFade(this, s, now);
      if (s.kind === 'tray' || !s.visible) continue;
      const version = s.scene?.version ?? 0;
      if (!s.needsPresent && version === s.presentedVersion) continue;
      if (mayDefer && now - s.presentedAt < BUSY_PRESENT_INTERVAL_MS) continue;
      this.platform.present(s.handle, surfaceFrame(this, s));
      this.stats.framesPresented++;
      s.presentedVersion = version;
      s.presentedAt = now;
      s.needsPresent = false;
    }
  }

  /** Queued work comes back at once; only fades need a timer; an idle engine sleeps until woken. */
  nextDeadline(now: number): number | undefined {
    if (this.hasQueuedWork) return now;
    for (const s of this.registry.all()) if (s.fade) return now + FADE_STEP_MS;
    return undefined;
  }
}

function newPlan(): BatchPlan {
  return { destroyed: new Set(), addedKeys: new Map() };
}

function asPanepipeError(err: unknown, op: string, log: (message: string) => void): PanepipeError {
  if (err instanceof PanepipeError) return err;
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  log(`internal error in ${op}: ${message}`);
  return new PanepipeError('internal', `${op}: internal error: ${err instanceof Error ? err.message : String(err)}`);
}
