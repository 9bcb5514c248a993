import type * as net from 'node:net';
import {
  EngineMessage,
  FrameBatch,
  PanepipeError,
  type Capabilities,
  type EngineStatus,
  type FrameDecoder,
  type Monitor,
  type OpArgs,
  type OpName,
  type OpResult,
  type PanepipeEvent,
  type ReplyingOp,
  type SurfaceInfo,
  type Welcome,
} from '../protocol';
import { EventQueue } from './eventQueue';
import { Hud, Panel, Pip, Tray } from './surfaces';

export const DEFAULT_EVENT_QUEUE_CAPACITY = 10_000;

interface Pending {
  op: string;
  resolve(result: unknown): void;
  reject(err: Error): void;
}

type Fields<O extends OpName> = OpArgs<O>;

/**
 * A connection to the engine. Commands are fire-and-forget and leave in one
 * write per tick; creating surfaces and queries return promises resolved by
 * the engine's reply; events are polled.
 */
export class Client implements AsyncDisposable {
  readonly session: number;
  readonly engineVersion: string;
  readonly backend: Welcome['backend'];
  readonly capabilities: Capabilities;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly events: EventQueue;
  private readonly outgoing = new FrameBatch();
  private flushScheduled = false;
  private closed = false;
  private readonly closedPromise: Promise<void>;

  /** @internal Use connect(). */
  constructor(
    private readonly socket: net.Socket,
    welcome: Welcome,
    decoder: FrameDecoder,
    early: unknown[],
    eventQueueCapacity: number = DEFAULT_EVENT_QUEUE_CAPACITY,
  ) {
    this.session = welcome.session;
    this.engineVersion = welcome.engineVersion;
    this.backend = welcome.backend;
    this.capabilities = welcome.capabilities;
    this.events = new EventQueue(eventQueueCapacity);
    for (const value of early) this.onMessage(value);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) if (frame.ok) this.onMessage(frame.value);
    });
    socket.on('error', () => undefined);
    this.closedPromise = new Promise((resolve) => socket.once('close', () => {
      this.onClosed('connectionLost', 'the connection to the engine was lost');
      resolve();
    }));
  }

  // ---- surfaces -------------------------------------------------------------

  async createHud(opts: Fields<'createHud'>): Promise<Hud> {
    return new Hud(this, (await this.request('createHud', opts)).id);
  }

  async createPanel(opts: Fields<'createPanel'>): Promise<Panel> {
    return new Panel(this, (await this.request('createPanel', opts)).id);
  }

  async createPip(opts: Fields<'createPip'>): Promise<Pip> {
    return new Pip(this, (await this.request('createPip', opts)).id);
  }

  async createTray(opts: Fields<'createTray'> = {}): Promise<Tray> {
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

  measureText(opts: Fields<'measureText'>): Promise<OpResult<'measureText'>> {
    return this.request('measureText', opts);
  }

  async listSurfaces(): Promise<SurfaceInfo[]> {
    return (await this.request('listSurfaces', {})).surfaces;
  }

  status(): Promise<EngineStatus> {
    return this.request('status', {});
  }

  /** Resolves once every command sent before it has been applied by the engine. */
  async sync(): Promise<void> {
    await this.request('sync', {});
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

  /** The next event, or undefined if none is waiting. Never blocks. */
  pollEvent(): PanepipeEvent | undefined {
    return this.events.shift();
  }

  /** Events as they come; ends after `disconnected`. */
  async *[Symbol.asyncIterator](): AsyncIterator<PanepipeEvent> {
    for (;;) {
      await this.events.waitForEvent();
      let ev: PanepipeEvent | undefined;
      while ((ev = this.events.shift())) {
        yield ev;
        if (ev.type === 'disconnected') return;
      }
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Close the connection; the engine destroys every surface this client created. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.flush();
      this.onClosed('closed', 'closed by the client');
      this.socket.end();
    }
    await this.closedPromise;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- wire -----------------------------------------------------------------

  /** Send a fire-and-forget command. Failures arrive as `error` events naming the returned seq. */
  command<O extends OpName>(op: O, fields: Fields<O>): number {
    const seq = this.nextSeq();
    this.enqueue({ op, seq, ...fields });
    return seq;
  }

  /** Send a command that replies; resolves with its result or rejects with a PanepipeError. */
  request<O extends ReplyingOp>(op: O, fields: Fields<O>): Promise<OpResult<O>> {
    if (this.closed) return Promise.reject(new PanepipeError('shuttingDown', `${op}: the client is closed`, op));
    const seq = this.nextSeq();
    return new Promise<OpResult<O>>((resolve, reject) => {
      this.pending.set(seq, { op, resolve: resolve as (r: unknown) => void, reject });
      this.enqueue({ op, seq, ...fields });
    });
  }

  private nextSeq(): number {
    return ++this.seq;
  }

  private enqueue(message: object): void {
    if (this.closed) return;
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
      this.onClosed('engineShutdown', `the engine shut down: ${msg.reason}`);
    } else {
      this.events.push(msg);
    }
  }

  private onClosed(reason: 'closed' | 'engineShutdown' | 'connectionLost', message: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const [, p] of this.pending) p.reject(new PanepipeError('shuttingDown', `${p.op}: ${message}`, p.op));
    this.pending.clear();
    this.events.push({ type: 'disconnected', reason, message });
  }
}
