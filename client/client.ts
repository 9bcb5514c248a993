import {
  EngineMessage,
  FrameBatch,
  commandStreamCodec,
  PanepipeError,
  type Capabilities,
  type EngineStatus,
  type EventType,
  type Monitor,
  type OpName,
  type OpResult,
  type PanepipeEvent,
  type ReplyingOp,
  type SurfaceId,
  type SurfaceInfo,
  type Welcome,
} from '../protocol';
import type { AppArgs, HandleOpts, HudOptions, MeasureTextOptions, PanelOptions, PipOptions, TrayOptions } from './appOptions';
import { captureCallSite, withCallerStack } from './callSite';
import { CommandErrors, warningText, type CommandError, type ErrorEvent } from './commandErrors';
import { EventHub, type EventFilter, type EventStreamOptions, type Listener, type ListenerArg } from './eventHub';
import { EventQueue } from './eventQueue';
import { IdMap } from './idMap';
import { withImageBytes } from './imageFiles';
import { ReplayLog } from './replayLog';
import { SendOrder, type Outcome } from './sendOrder';
import { Hud, Panel, Pip, Tray, sendElement, type ElementSetOp } from './surfaces';
import type { OpenConnection } from './transport';

export const DEFAULT_EVENT_QUEUE_CAPACITY = 10_000;

interface Pending {
  op: string;
  message: Record<string, unknown>;
  /** Connection generation the request was last sent on; -1 while waiting for a connection. */
  sentOn: number;
  resolve(result: unknown): void;
  reject(err: Error): void;
}

export interface ClientOptions {
  eventQueueCapacity: number;
  /** Finds or starts a new engine after the connection is lost; null: no reconnecting. */
  reconnect: (() => Promise<OpenConnection>) | null;
  /** Give up reconnecting after this long. */
  reconnectTimeoutMs: number;
}

const CREATE_OPS = new Set<string>(['createHud', 'createPanel', 'createPip', 'createTray']);
const RECONNECT_RETRY_MS = [50, 100, 200, 400, 800, 1000];

type Fields<O extends OpName> = AppArgs<O>;

function closedError(op: string): PanepipeError {
  return new PanepipeError('shuttingDown', `${op}: the client is closed`, op);
}

/** An error event's code and message for a command that failed on the client's side. */
function errorInfo(op: string, err: unknown): { code: PanepipeError['code']; message: string } {
  if (err instanceof PanepipeError) return err.toInfo();
  // FrameBatch refuses a frame over the limit with a RangeError, as the engine would refuse it.
  return { code: err instanceof RangeError ? 'frameTooLarge' : 'internal', message: `${op}: ${(err as Error).message}` };
}

/**
 * A connection to the engine. Commands are fire-and-forget and leave in one
 * write per tick; creating surfaces and queries return promises resolved by
 * the engine's reply; events are polled. With `reconnect`, a lost engine is
 * replaced and every surface rebuilt behind the same handles.
 */
export class Client implements AsyncDisposable {
  private welcome!: Welcome;
  private socket!: import('node:net').Socket;
  private generation = 0;
  private state: 'open' | 'reconnecting' | 'closed' = 'open';
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: EventQueue;
  private readonly hub = new EventHub();
  private readonly errors = new CommandErrors();
  /** This connection's commands, encoded as its record stream; a new one per connection. */
  private outgoing!: FrameBatch;
  private flushScheduled = false;
  private readonly ids = new IdMap();
  private readonly log: ReplayLog | null;
  /** Holds commands issued after one whose image file is being read. */
  private readonly order = new SendOrder();
  private resolveClosed!: () => void;
  private readonly closedPromise = new Promise<void>((r) => (this.resolveClosed = r));

  /** @internal Use connect(). */
  constructor(
    conn: OpenConnection,
    private readonly opts: ClientOptions,
  ) {
    this.queue = new EventQueue(opts.eventQueueCapacity);
    this.log = opts.reconnect ? new ReplayLog() : null;
    this.attach(conn);
  }

  /** This client's session number on the current engine. */
  get session(): number {
    return this.welcome.session;
  }

  get engineVersion(): string {
    return this.welcome.engineVersion;
  }

  get backend(): Welcome['backend'] {
    return this.welcome.backend;
  }

  /** What the engine can do on this system, from the handshake. */
  get capabilities(): Capabilities {
    return this.welcome.capabilities;
  }

  // ---- surfaces -------------------------------------------------------------

  /** Create a click-through overlay (hidden until `show()` or `fadeIn()`); rejects with a PanepipeError if the engine refuses the options. */
  async createHud(opts: HudOptions): Promise<Hud> {
    return new Hud(this, (await this.request('createHud', opts)).id);
  }

  /** Create an interactive overlay (hidden until shown): interactive elements and the drag region take the mouse. */
  async createPanel(opts: PanelOptions): Promise<Panel> {
    return new Panel(this, (await this.request('createPanel', opts)).id);
  }

  /** Create a live picture-in-picture view of another window (hidden until shown). */
  async createPip(opts: PipOptions): Promise<Pip> {
    return new Pip(this, (await this.request('createPip', opts)).id);
  }

  /** Create a notification-area icon. */
  async createTray(opts: TrayOptions = {}): Promise<Tray> {
    return new Tray(this, (await this.request('createTray', opts)).id);
  }

  // ---- queries --------------------------------------------------------------

  async monitors(): Promise<Monitor[]> {
    return (await this.request('monitors', {})).monitors;
  }

  /** What the engine can do on this system (also on `capabilities` from the handshake). */
  queryCapabilities(): Promise<Capabilities> {
    return this.request('capabilities', {});
  }

  /** The size `opts.text` takes when set as given, in logical pixels, and its line count. */
  measureText(opts: MeasureTextOptions): Promise<OpResult<'measureText'>> {
    return this.request('measureText', opts);
  }

  async listSurfaces(): Promise<SurfaceInfo[]> {
    return (await this.request('listSurfaces', {})).surfaces;
  }

  status(): Promise<EngineStatus> {
    return this.request('status', {});
  }

  /**
   * Resolves once every command sent before it has been applied by the
   * engine and every surface it changed is on screen, with the errors of
   * those commands not claimed by an earlier sync (empty when all went well).
   */
  async sync(): Promise<CommandError[]> {
    const seq = this.seq + 1;
    await this.request('sync', {});
    return this.errors.claimBefore(seq);
  }

  /** Apply several state commands in one frame, all or none. */
  batch(commands: Fields<'batch'>['commands']): void {
    this.command('batch', { commands });
  }

  /** Ask the engine to shut down (every client's surfaces go). */
  async stopEngine(): Promise<void> {
    await this.request('stop', {});
  }

  // ---- events ---------------------------------------------------------------

  /**
   * Call `listener` with each event of `type` from now on (only those about
   * `filter.surface` if given; until `filter.signal` aborts). An `error`
   * listener receives a CommandError (with the stack of the call that issued
   * the failed command) and replaces the warning the library otherwise
   * writes to stderr for each failed command. Listeners and pollEvent() each
   * see every event.
   */
  on<T extends EventType>(type: T, listener: Listener<T>, filter?: EventFilter): this {
    this.hub.on(type, listener, filter);
    return this;
  }

  /** Remove a listener added with on(). */
  off<T extends EventType>(type: T, listener: Listener<T>): this {
    this.hub.off(type, listener);
    return this;
  }

  /**
   * The next event of `type` (about `filter.surface` if given). Rejects if
   * the client disconnects first (unless waiting for `disconnected`) or
   * `filter.signal` aborts (with the signal's reason).
   */
  once<T extends EventType>(type: T, filter: EventFilter = {}): Promise<ListenerArg<T>> {
    const { signal } = filter;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.state === 'closed' && type !== 'disconnected') return Promise.reject(closedError(`once('${type}')`));
    return new Promise((resolve, reject) => {
      const stop = new AbortController();
      const settle = (done: () => void) => {
        stop.abort();
        signal?.removeEventListener('abort', onAbort);
        done();
      };
      const onAbort = () => settle(() => reject(signal!.reason));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.hub.on(type, ((arg: ListenerArg<T>) => settle(() => resolve(arg))) as Listener<T>, { ...filter, signal: stop.signal });
      if (type !== 'disconnected') {
        this.hub.on('disconnected', (ev) => settle(() => reject(new PanepipeError('shuttingDown', `once('${type}'): ${ev.message}`))), { signal: stop.signal });
      }
    });
  }

  /**
   * Events as they come, in a stream of their own: every stream sees every
   * event from its creation on (none is taken from another stream or from
   * pollEvent()). `types` and `surface` narrow it; it ends after
   * `disconnected`, or quietly when `signal` aborts.
   */
  events(opts: EventStreamOptions = {}): AsyncIterableIterator<PanepipeEvent> {
    return this.hub.stream(this.opts.eventQueueCapacity, opts);
  }

  /** The next event, or undefined if none is waiting. Never blocks. */
  pollEvent(): PanepipeEvent | undefined {
    return this.queue.shift();
  }

  /** Resolves when pollEvent() has something to return (at once if it already has). */
  waitForEvent(): Promise<void> {
    return this.queue.waitForEvent();
  }

  /** Every event from now on, as `events()`; ends after `disconnected`. */
  [Symbol.asyncIterator](): AsyncIterator<PanepipeEvent> {
    return this.events();
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Close the connection; the engine destroys every surface this client created. */
  async close(): Promise<void> {
    if (this.state !== 'closed') {
      this.flush();
      const socket = this.socket;
      this.onClosed('closed', 'closed by the client');
      socket.end();
      if (socket.closed) this.resolveClosed();
    }
    await this.closedPromise;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- wire -----------------------------------------------------------------

  /**
   * Send a fire-and-forget command. Failures arrive as `error` events naming
   * the returned seq, a file that could not be read among them.
   */
  command<O extends OpName>(op: O, fields: Fields<O>): number {
    const seq = ++this.seq;
    this.errors.issued(seq, captureCallSite());
    return this.issue({ op, seq, ...fields }, seq);
  }

  [sendElement]<O extends ElementSetOp>(op: O, surface: SurfaceId, key: string, opts: HandleOpts<O>): number {
    const seq = ++this.seq;
    this.errors.issued(seq, captureCallSite());
    return this.issue({ op, seq, surface, key, ...opts }, seq);
  }

  /** Image files named by the command are read first; the commands issued after it wait for it. */
  private issue(message: Record<string, unknown> & { op: string }, seq: number): number {
    const reading = withImageBytes(message.op, message);
    if (!reading && this.order.idle) {
      this.dispatch(message);
      return seq;
    }
    // Sent later, so a failure (the file, or a frame over the limit) can only be reported as an event.
    const sendLater = (read: Outcome<Record<string, unknown>>) => {
      try {
        if (!read.ok) throw read.error;
        this.dispatch(read.value);
      } catch (err) {
        if (this.state !== 'closed') this.deliver({ type: 'error', seq, op: message.op, ...errorInfo(message.op, err) });
      }
    };
    if (reading) this.order.after(reading, sendLater);
    else this.order.now(() => sendLater({ ok: true, value: message }));
    return seq;
  }

  /** Record and send a command whose images are bytes. */
  private dispatch(message: Record<string, unknown>): void {
    // The replay log keeps the bytes read, not the file: a rebuilt surface shows what the app saw.
    this.log?.record(message as never);
    // While reconnecting, the replay log carries the change to the new engine.
    if (this.state === 'open') this.enqueue(this.ids.outgoing(message));
    else if (this.state === 'closed') this.reportClosed(message as { op: string; seq: number });
  }

  /** Send a command that replies; resolves with its result or rejects with a PanepipeError (an unreadable image file too) whose stack is the caller's. */
  request<O extends ReplyingOp>(op: O, fields: Fields<O>): Promise<OpResult<O>> {
    const site = captureCallSite();
    return this.requestOwn(op, fields).catch((err: unknown) => {
      throw err instanceof Error ? withCallerStack(err, site) : err;
    });
  }

  private requestOwn<O extends ReplyingOp>(op: O, fields: Fields<O>): Promise<OpResult<O>> {
    if (this.state === 'closed') return Promise.reject(closedError(op));
    const reading = withImageBytes(op, fields);
    if (!reading && this.order.idle) return this.send(op, fields, true) as Promise<OpResult<O>>;
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      const send = (wire: object) => (this.send(op, wire, true, seq) as Promise<OpResult<O>>).then(resolve, reject);
      if (!reading) this.order.now(() => send(fields));
      else this.order.after(reading, (read) => (read.ok ? send(read.value) : reject(read.error)));
    });
  }

  /** Queue a request; `own` requests are the application's (recorded, ids translated back). */
  private send(op: string, fields: object, own: boolean, seq = ++this.seq): Promise<unknown> {
    // A request held behind an image read may find the client closed by the time it leaves.
    if (this.state === 'closed') return Promise.reject(closedError(op));
    const message = { op, seq, ...fields };
    return new Promise((resolve, reject) => {
      const done = own ? (result: unknown) => resolve(this.ownResult(op, fields, result)) : resolve;
      const pending: Pending = { op, message, sentOn: -1, resolve: done, reject };
      this.pending.set(seq, pending);
      if (this.state === 'open') this.transmit(pending);
    });
  }

  private transmit(p: Pending): void {
    p.sentOn = this.generation;
    this.enqueue(this.ids.outgoing(p.message));
  }

  /** Results in the application's ids; creations remembered for replay. */
  private ownResult(op: string, fields: object, result: unknown): unknown {
    if (CREATE_OPS.has(op)) {
      const id = this.ids.adopt((result as { id: string }).id);
      this.log?.created(id, op as never, fields as never);
      return { ...(result as object), id };
    }
    if (!this.ids.active) return result;
    if (op === 'listSurfaces') {
      const r = result as { surfaces: SurfaceInfo[] };
      return { surfaces: r.surfaces.map((s) => ({ ...s, id: this.ids.toClient(s.id) })) };
    }
    if (op === 'status') {
      const r = result as EngineStatus;
      return {
        ...r,
        sessions: r.sessions.map((s) => ({ ...s, surfaces: s.surfaces.map((id) => this.ids.toClient(id)) })),
        surfaces: r.surfaces.map((s) => ({ ...s, id: this.ids.toClient(s.id) })),
      };
    }
    return result;
  }

  private enqueue(message: object): void {
    this.outgoing.add(message);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Everything issued in this tick leaves in one write.
      process.nextTick(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.outgoing.isEmpty || this.socket.destroyed) return;
    this.socket.write(this.outgoing.take());
  }

  // ---- connection -----------------------------------------------------------

  private attach(conn: OpenConnection): void {
    this.welcome = conn.welcome;
    this.socket = conn.socket;
    this.outgoing = new FrameBatch(commandStreamCodec);
    this.generation++;
    const { socket, decoder } = conn;
    for (const value of conn.early) this.onMessage(value);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) if (frame.ok) this.onMessage(frame.value);
    });
    socket.on('error', () => undefined);
    socket.once('close', () => this.onSocketClosed(socket));
  }

  private onSocketClosed(socket: import('node:net').Socket): void {
    if (socket !== this.socket) return;
    if (this.state === 'closed') {
      this.resolveClosed();
      return;
    }
    if (!this.opts.reconnect) {
      this.onClosed('connectionLost', 'the connection to the engine was lost');
      this.resolveClosed();
      return;
    }
    void this.reconnect();
  }

  /** Find or start a new engine, rebuild every surface on it, then resend what was in flight. */
  private async reconnect(): Promise<void> {
    this.state = 'reconnecting';
    this.outgoing.take();
    this.deliver({ type: 'reconnecting', message: 'the connection to the engine was lost; reconnecting' });
    const deadline = Date.now() + this.opts.reconnectTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      if (this.isClosed) return;
      try {
        const conn = await this.opts.reconnect!();
        if (this.isClosed) {
          conn.socket.destroy();
          return;
        }
        this.attach(conn);
        this.state = 'open';
        const surfaces = await this.replay();
        this.deliver({ type: 'reconnected', surfaces });
        return;
      } catch {
        if (Date.now() > deadline) {
          this.onClosed('connectionLost', 'the engine was lost and no new one answered');
          this.resolveClosed();
          return;
        }
        await new Promise((r) => setTimeout(r, RECONNECT_RETRY_MS[Math.min(attempt, RECONNECT_RETRY_MS.length - 1)]));
      }
    }
  }

  private async replay(): Promise<number> {
    const entries = this.log!.entries();
    this.ids.reset();
    const created = await Promise.all(entries.map((e) => this.send(e.create.op, e.create.fields, false) as Promise<{ id: string }>));
    for (const [i, e] of entries.entries()) this.ids.bind(e.id, created[i]!.id);
    for (const e of entries) {
      if (e.commands.length > 0) this.enqueue(this.ids.outgoing({ op: 'batch', seq: ++this.seq, commands: e.commands }));
    }
    for (const p of this.pending.values()) if (p.sentOn !== this.generation) this.transmit(p);
    return entries.length;
  }

  private onMessage(value: unknown): void {
    const parsed = EngineMessage.safeParse(value);
    if (!parsed.success) return;
    const msg = parsed.data;
    if (msg.type === 'reply') {
      const pending = this.pending.get(msg.seq);
      if (!pending) return;
      this.pending.delete(msg.seq);
      if ('error' in msg) pending.reject(new PanepipeError(msg.error.code, msg.error.message, pending.op));
      else pending.resolve(msg.result);
    } else if (msg.type === 'goodbye') {
      // A deliberate shutdown is final, even with reconnect: the user stopped the engine.
      this.onClosed('engineShutdown', `the engine shut down: ${msg.reason}`);
    } else {
      const event = this.ids.incoming(msg);
      if (event.type === 'surfaceMoved') this.log?.moved(event.surface, event.x, event.y);
      this.deliver(event);
    }
  }

  /** Queue an event for pollEvent() and hand it to its listeners; a failed command with no error listener is written to stderr. */
  private deliver(event: PanepipeEvent): void {
    this.queue.push(event);
    if (event.type === 'error') this.raise(event);
    else this.hub.emit(event, event);
  }

  private raise(event: ErrorEvent): void {
    const err = this.errors.failed(event);
    if (this.hub.count('error') === 0) process.stderr.write(warningText(err));
    this.hub.emit(event, err);
  }

  /** A command issued after close() reaches no engine: said as loudly as any other failure. */
  private reportClosed(message: { op: string; seq: number }): void {
    this.raise({ type: 'error', seq: message.seq, op: message.op, ...closedError(message.op).toInfo() });
  }

  private onClosed(reason: 'closed' | 'engineShutdown' | 'connectionLost', message: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const [, p] of this.pending) p.reject(new PanepipeError('shuttingDown', `${p.op}: ${message}`, p.op));
    this.pending.clear();
    this.deliver({ type: 'disconnected', reason, message });
  }
}
