import { timingSafeEqual } from 'node:crypto';
import type * as net from 'node:net';
import {
  FrameBatch,
  FrameDecoder,
  Hello,
  LIMITS,
  PanepipeError,
  PROTOCOL_VERSION,
  commandStreamCodec,
  encodeFrame,
  isReplyingOp,
  parseCommand,
  type Command,
  type EngineEvent,
  type EngineMessage,
  type FrameSpan,
  type ErrorCode,
  type Refused,
  type Welcome,
} from '../../protocol';
import type { AttachedImage } from '../core/renderer';
import { AssetLoader, needsAssets } from './assets';
import { EventBacklog } from './backlog';

/** What a session needs from the engine's main thread. */
export interface SessionHost {
  readonly token: string;
  welcome(session: Session): Welcome;
  /**
   * A validated command, in the order the client sent it. `frame`: its frame
   * as received, given when the command is exactly what the frame decodes
   * to and the frame was not forwarded yet; the host forwards it (to run it
   * from its bytes, or to decode only). Returns how many units of work
   * (frames, command objects) it posted to the engine thread.
   */
  command(session: Session, cmd: Command, images?: AttachedImage[], frame?: FrameSpan): number;
  /** A frame after the handshake that does not run as it is (rejected, undecodable, or its command travels as an object); one unit of work. */
  skipFrame(session: Session, frame: FrameSpan): void;
  opened(session: Session): void;
  closed(session: Session): void;
}

const HANDSHAKE_TIMEOUT_MS = 10_000;
/** Stop reading from a client while this many of its commands wait behind a file read. */
const ASSET_QUEUE_PAUSE = 10_000;
/**
 * Stop reading from a client with this many units of work (frames, command
 * objects) posted to the engine thread and not yet run; read again below the
 * low mark. A flooding client then waits at its own socket, and its backlog
 * on the engine thread stays bounded. The window is wide enough for both
 * threads to work at once (the engine thread serves sessions in turns, so
 * others do not wait behind it).
 */
const IN_FLIGHT_HIGH = 4096;
const IN_FLIGHT_LOW = 2048;
/**
 * After reading this many frames from one client, let one event-loop turn
 * pass before reading more: other clients' frames and the replies waiting
 * for them then go through between a flooding client's reads.
 */
const FRAMES_PER_TURN = 512;

/**
 * One client connection on the main thread: handshake, frame decoding,
 * validation, ordered hand-off to the engine, and a bounded outgoing queue.
 */
export class Session {
  name = '';
  pid = 0;
  readonly connectedAt = new Date().toISOString();
  private state: 'handshake' | 'open' | 'closed' = 'handshake';
  private readonly decoder = new FrameDecoder();
  private readonly outgoing = new FrameBatch();
  private flushScheduled = false;
  private droppedEvents = 0;
  private readonly unsentEvents = new EventBacklog();
  private assetQueue: Command[] = [];
  private readonly assets = new AssetLoader();
  private draining = false;
  private readonly handshakeTimer: NodeJS.Timeout;
  /** Units of work posted to the engine thread and not yet run there. */
  private inFlight = 0;
  private framesSinceYield = 0;
  /** Reading stopped until the next event-loop turn. */
  private yielding = false;
  /** Reading stopped until the engine thread or the file reads catch up. */
  private behind = false;
  /** The host was told this session opened, so it must be told it closed. */
  private announced = false;

  constructor(
    readonly id: number,
    private readonly socket: net.Socket,
    private readonly host: SessionHost,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose());
    this.handshakeTimer = setTimeout(() => this.refuse('authFailed', 'no hello within the handshake timeout'), HANDSHAKE_TIMEOUT_MS);
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Bytes received from the client so far. */
  get bytesRead(): number {
    return this.socket.bytesRead;
  }

  /** A getter, so checks after a callback see the current state. */
  private get isClosed(): boolean {
    return this.state === 'closed';
  }

  reply(seq: number, result: unknown): void {
    this.send({ type: 'reply', seq, result });
  }

  replyError(seq: number, code: ErrorCode, message: string): void {
    this.send({ type: 'reply', seq, error: { code, message } });
  }

  /** Events may be dropped when the client does not read; it is told how many. */
  event(event: EngineEvent): void {
    const buffered = this.socket.writableLength;
    if (this.outgoing.byteLength + buffered > LIMITS.maxPendingBytesPerSession || this.unsentEvents.pending(buffered) >= LIMITS.maxPendingEventsPerSession) {
      this.droppedEvents++;
      return;
    }
    this.unsentEvents.queue();
    this.send(event);
  }

  /** Tell the client the engine is going away, then close. */
  goodbye(reason: string): void {
    if (this.state === 'closed') return;
    this.send({ type: 'goodbye', reason });
    this.flush();
    this.socket.end();
    this.state = 'closed';
  }

  destroy(): void {
    this.socket.destroy();
  }

  // ---- incoming -------------------------------------------------------------

  private onData(chunk: Buffer): void {
    this.decoder.feed(chunk, (frame) => {
      if (this.isClosed) return false;
      this.framesSinceYield++;
      if (this.state === 'handshake') {
        if (frame.ok) this.onHello(frame.value);
        else this.refuse('badFrame', frame.message);
        return;
      }
      if (frame.ok) return this.onCommandFrame(frame.value, frame);
      // Undecodable bodies still went through this stream's decoder: the engine thread's must see them too.
      if (frame.code === 'badFrame') this.skip(frame);
      this.event({ type: 'error', seq: null, op: null, code: frame.code, message: frame.message });
    });
    if (this.framesSinceYield >= FRAMES_PER_TURN) this.yieldTurn();
  }

  private yieldTurn(): void {
    this.framesSinceYield = 0;
    this.yielding = true;
    this.updateFlow();
    setImmediate(() => {
      this.yielding = false;
      this.updateFlow();
    });
  }

  private onHello(value: unknown): void {
    clearTimeout(this.handshakeTimer);
    const hello = Hello.safeParse(value);
    if (!hello.success) return this.refuse('protocolMismatch', 'the first frame must be a panepipe hello');
    if (hello.data.protocol !== PROTOCOL_VERSION) {
      return this.refuse('protocolMismatch', `protocol ${hello.data.protocol} is not supported; this engine speaks ${PROTOCOL_VERSION}`);
    }
    if (!tokensEqual(hello.data.token, this.host.token)) return this.refuse('authFailed', 'wrong token');
    this.name = hello.data.client;
    this.pid = hello.data.pid;
    this.state = 'open';
    // From the next frame on: the client's command stream, in records.
    this.decoder.codec = commandStreamCodec();
    this.announced = true;
    this.sendRaw(this.host.welcome(this));
    this.host.opened(this);
  }

  private onCommandFrame(value: unknown, frame: FrameSpan): void {
    const parsed = parseCommand(value);
    if (parsed.ok && parsed.verbatim) return this.accept(parsed.command, frame);
    this.skip(frame);
    if (parsed.ok) return this.accept(parsed.command, undefined);
    this.fail(parsed.seq, parsed.op, new PanepipeError(parsed.code, parsed.message));
  }

  /** Report a failed command the way the client waits for it: a reply error if it asked for one, else an error event. */
  private fail(seq: number | null, op: string | null, err: PanepipeError): void {
    if (seq !== null && op !== null && isReplyingOp(op)) this.replyError(seq, err.code, err.message);
    else this.event({ type: 'error', seq, op, code: err.code, message: err.message });
  }

  /** Keep the client's order even when a command waits for a file read. */
  private accept(cmd: Command, frame: FrameSpan | undefined): void {
    if (this.assetQueue.length === 0 && !this.draining && !needsAssets(cmd)) {
      this.handOver(cmd, undefined, frame);
      return;
    }
    if (frame) this.skip(frame);
    this.assetQueue.push(cmd);
    this.updateFlow();
    if (!this.draining) void this.drainAssetQueue();
  }

  private handOver(cmd: Command, images?: AttachedImage[], frame?: FrameSpan): void {
    this.posted(this.host.command(this, cmd, images, frame));
  }

  private skip(frame: FrameSpan): void {
    this.host.skipFrame(this, frame);
    this.posted(1);
  }

  private posted(units: number): void {
    const before = this.inFlight;
    this.inFlight += units;
    if (before < IN_FLIGHT_HIGH && this.inFlight >= IN_FLIGHT_HIGH) this.updateFlow();
  }

  /** The engine thread ran `count` units of this session's work. */
  applied(count: number): void {
    this.inFlight = Math.max(0, this.inFlight - count);
    this.updateFlow();
  }

  /**
   * Read from the client only while it is not yielding its turn and neither
   * its file reads nor the engine thread are behind on it (behind from the
   * high mark until back under the low one).
   */
  private updateFlow(): void {
    if (!this.isOpen) return;
    if (this.assetQueue.length >= ASSET_QUEUE_PAUSE || this.inFlight >= IN_FLIGHT_HIGH) this.behind = true;
    else if (this.assetQueue.length < ASSET_QUEUE_PAUSE && this.inFlight < IN_FLIGHT_LOW) this.behind = false;
    const read = !this.behind && !this.yielding;
    if (!read && !this.socket.isPaused()) this.socket.pause();
    else if (read && this.socket.isPaused()) this.socket.resume();
  }

  private async drainAssetQueue(): Promise<void> {
    this.draining = true;
    while (this.assetQueue.length > 0 && this.state === 'open') {
      const cmd = this.assetQueue.shift()!;
      if (!needsAssets(cmd)) {
        this.handOver(cmd);
        continue;
      }
      try {
        const loaded = await this.assets.load(cmd);
        if (this.isOpen) this.handOver(loaded.cmd, loaded.images);
      } catch (err) {
        this.fail(cmd.seq, cmd.op, err instanceof PanepipeError ? err : new PanepipeError('imageError', String(err)));
      }
    }
    this.draining = false;
    this.updateFlow();
  }

  private refuse(code: ErrorCode, reason: string): void {
    clearTimeout(this.handshakeTimer);
    if (this.state === 'closed') return;
    this.state = 'closed';
    const refused: Refused = { refused: code, reason };
    this.socket.end(encodeFrame(refused));
    // Closed at once: no lingering half-open pipe.
    setTimeout(() => this.socket.destroy(), 100).unref();
  }

  private onClose(): void {
    clearTimeout(this.handshakeTimer);
    this.state = 'closed';
    this.assetQueue = [];
    this.assets.clear();
    if (this.announced) this.host.closed(this);
  }

  // ---- outgoing -------------------------------------------------------------

  private send(message: EngineMessage): void {
    this.sendRaw(message);
  }

  private sendRaw(message: unknown): void {
    if (this.state === 'closed' || this.socket.destroyed) return;
    let frame: Buffer;
    try {
      frame = encodeFrame(message);
    } catch (err) {
      // A reply over the frame limit (a huge snapshot) becomes an error reply instead.
      const m = message as { type?: string; seq?: number };
      if (m.type === 'reply' && typeof m.seq === 'number') {
        frame = encodeFrame({ type: 'reply', seq: m.seq, error: { code: 'limitExceeded', message: (err as Error).message } });
      } else return;
    }
    this.outgoing.addFrame(frame);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.outgoing.isEmpty || this.socket.destroyed) return;
    const data = this.outgoing.take();
    this.unsentEvents.wrote(data.length);
    // Without backpressure no 'drain' comes, so report drops right away.
    if (this.socket.write(data) && this.droppedEvents > 0) setImmediate(() => this.onDrain());
  }

  private onDrain(): void {
    if (this.droppedEvents > 0 && this.state === 'open') {
      const count = this.droppedEvents;
      this.droppedEvents = 0;
      this.send({ type: 'eventsDropped', count });
    }
  }
}

function tokensEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
