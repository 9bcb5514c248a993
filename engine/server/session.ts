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
  boundedMessage,
  encodeFrame,
  isReplyingOp,
  overLimit,
  parseCommand,
  type Command,
  type EngineEvent,
  type EngineMessage,
  type FrameSpan,
  type ErrorCode,
  type Refused,
  type Welcome,
} from '../../protocol';
import type { AttachedImage } from '../channel/messages';
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
  /** A refused command's error event, to reach the client after those of the commands before it; one unit of work. */
  failInOrder(session: Session, event: Extract<EngineEvent, { type: 'error' }>): void;
  /** A frame after the handshake that does not run as it is (rejected, undecodable, or its command travels as an object); one unit of work. */
  skipFrame(session: Session, frame: FrameSpan): void;
  opened(session: Session): void;
  closed(session: Session): void;
  /** The engine is cutting this session off for what its client did; `reason` is for the log. */
  dropping(session: Session, reason: string): void;
}

/** Stop reading from a client while this many of its commands wait behind an image decode. */
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
/** Replies and events waiting in a client's pipe past which its requests are no longer read (the largest legal reply, a snapshot, passes once). */
const UNREAD_PAUSE_BYTES = 1024 * 1024;

/**
 * One client connection on the main thread: handshake, frame decoding,
 * validation, ordered hand-off to the engine, and a bounded outgoing queue.
 */
export class Session {
  name = '';
  pid = 0;
  readonly connectedAt = new Date().toISOString();
  private state: 'handshake' | 'open' | 'closed' = 'handshake';
  /** Until the hello is accepted, frames are hello-sized; every body's maps and shapes are checked before decoding. */
  private readonly decoder = new FrameDecoder(LIMITS.maxHelloBytes, undefined, true);
  private readonly outgoing = new FrameBatch();
  private flushScheduled = false;
  /** Bytes of replies and events queued for the client, over its life. */
  private bytesQueued = 0;
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
  /** Reading stopped until the engine thread or the image decodes catch up. */
  private behind = false;
  /** Reading stopped because the client is not taking its replies and events. */
  private unread = false;
  /** Disconnects the client if it stays behind on its replies this long. */
  private unreadTimer: NodeJS.Timeout | null = null;
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
    // Checked after this turn's reads (setImmediate): a hello that arrived while the loop was busy still counts.
    this.handshakeTimer = setTimeout(
      () => setImmediate(() => this.state === 'handshake' && this.refuse('limitExceeded', `${overLimit('handshakeTimeoutMs')}: no hello in time`)),
      LIMITS.handshakeTimeoutMs,
    );
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /**
   * Bytes read from the client and queued for it so far: what both threads
   * handled for it, so what its leaving may leave behind to tidy (a client
   * that never read had 64 MiB of replies queued for a few MB of requests).
   */
  get bytesExchanged(): number {
    return this.socket.bytesRead + this.bytesQueued;
  }

  /** A getter, so checks after a callback see the current state. */
  private get isClosed(): boolean {
    return this.state === 'closed';
  }

  reply(seq: number, result: unknown): void {
    this.send({ type: 'reply', seq, result });
  }

  replyError(seq: number, code: ErrorCode, message: string): void {
    this.send({ type: 'reply', seq, error: { code, message: boundedMessage(message) } });
  }

  /** Events may be dropped when the client does not read; it is told how many. */
  event(event: EngineEvent): void {
    const buffered = this.socket.writableLength;
    if (this.outgoing.byteLength + buffered > LIMITS.maxPendingBytesPerSession || this.unsentEvents.pending(buffered) >= LIMITS.maxPendingEventsPerSession) {
      this.droppedEvents++;
      return;
    }
    this.unsentEvents.queue();
    this.send(event.type === 'error' ? { ...event, message: boundedMessage(event.message) } : event);
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
      if (frame.ok) return this.state === 'handshake' ? this.onHello(frame.value) : this.onCommandFrame(frame.value, frame);
      if ('fatal' in frame) {
        const message =
          frame.code === 'frameTooLarge' ? `${overLimit(this.isOpen ? 'maxFrameBytes' : 'maxHelloBytes')}: a frame of ${frame.length} bytes` : frame.message;
        return this.isOpen ? this.dropFor(frame.code, message) : this.refuse(frame.code, message);
      }
      if (this.state === 'handshake') return this.refuse('badFrame', frame.message);
      // Undecodable bodies still went through this stream's decoder: the engine thread's must see them too.
      this.skip(frame);
      // No command to keep in order with, and the stream may be cut off next (dropFor): said at once.
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
    if (!hello.success) {
      this.refuse('protocolMismatch', 'the first frame must be a panepipe hello');
      return;
    }
    if (hello.data.protocol !== PROTOCOL_VERSION) {
      this.refuse('protocolMismatch', `protocol ${hello.data.protocol} is not supported; this engine speaks ${PROTOCOL_VERSION}`);
      return;
    }
    if (!tokensEqual(hello.data.token, this.host.token)) {
      this.refuse('authFailed', 'wrong token');
      return;
    }
    this.name = hello.data.client;
    this.pid = hello.data.pid;
    this.state = 'open';
    // From the next frame on: the client's command stream, in records, in frames up to the full size.
    this.decoder.codec = commandStreamCodec();
    this.decoder.maxBytes = LIMITS.maxFrameBytes;
    this.announced = true;
    this.sendRaw(this.host.welcome(this));
    this.host.opened(this);
  }

  private onCommandFrame(value: unknown, frame: FrameSpan): void {
    const parsed = parseCommand(value);
    if (parsed.ok && parsed.verbatim) {
      this.accept(parsed.command, frame);
      return;
    }
    this.skip(frame);
    if (parsed.ok) this.accept(parsed.command, undefined);
    else this.fail(parsed.seq, parsed.op, new PanepipeError(parsed.code, parsed.message));
  }

  /** Report a failed command the way the client waits for it: a reply error if it asked for one, else an error event. */
  private fail(seq: number | null, op: string | null, err: PanepipeError): void {
    if (seq !== null && op !== null && isReplyingOp(op)) this.replyError(seq, err.code, err.message);
    else this.failInOrder({ type: 'error', seq, op, code: err.code, message: err.message });
  }

  private failInOrder(event: Extract<EngineEvent, { type: 'error' }>): void {
    this.host.failInOrder(this, event);
    this.posted(1);
  }

  /** Keep the client's order even when a command waits for an image decode. */
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
    // A frame that defines no record shape would leave the engine thread's decoder as it is: spare it the decoding.
    if (frame.definesShapes === false) return;
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
   * its image decodes nor the engine thread are behind on it (behind from the
   * high mark until back under the low one).
   */
  private updateFlow(): void {
    if (!this.isOpen) return;
    if (this.assetQueue.length >= ASSET_QUEUE_PAUSE || this.inFlight >= IN_FLIGHT_HIGH) this.behind = true;
    else if (this.assetQueue.length < ASSET_QUEUE_PAUSE && this.inFlight < IN_FLIGHT_LOW) this.behind = false;
    const read = !this.behind && !this.yielding && !this.unread;
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
    const refused: Refused = { refused: code, reason: boundedMessage(reason) };
    this.endWith(encodeFrame(refused));
  }

  /**
   * Close a session whose client sent what its stream cannot go on after
   * (a frame over the limit, a refused shape): an error event says why, and
   * nothing more is read.
   */
  private dropFor(code: ErrorCode, reason: string): void {
    this.host.dropping(this, reason);
    this.send({ type: 'error', seq: null, op: null, code, message: boundedMessage(`${reason}; the connection is closed`) });
    if (this.isClosed) return;
    this.state = 'closed';
    this.endWith(this.outgoing.take());
  }

  /** Write the last bytes and close, reading nothing more; closed at once after a moment, so no half-open pipe lingers. */
  private endWith(last: Buffer): void {
    this.socket.pause();
    this.socket.end(last);
    setTimeout(() => this.socket.destroy(), 100).unref();
  }

  private onClose(): void {
    clearTimeout(this.handshakeTimer);
    if (this.unreadTimer) clearTimeout(this.unreadTimer);
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
    const queued = this.outgoing.byteLength + this.socket.writableLength;
    if (queued + frame.length > LIMITS.maxQueuedBytesPerSession) {
      this.dropNonReader(`${overLimit('maxQueuedBytesPerSession')}: ${queued} bytes of replies and events were waiting for a client that does not read`);
      return;
    }
    this.bytesQueued += frame.length;
    this.outgoing.addFrame(frame);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * A client whose replies pile up is not reading them: stop answering and
   * reading it, drop what waits for it and disconnect it. Nothing is sent,
   * as it would only queue behind the rest.
   */
  private dropNonReader(reason: string): void {
    if (this.isClosed) return;
    this.host.dropping(this, reason);
    this.state = 'closed';
    this.outgoing.take();
    this.socket.destroy();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.outgoing.isEmpty || this.socket.destroyed) return;
    const data = this.outgoing.take();
    this.unsentEvents.wrote(data.length);
    // Without backpressure no 'drain' comes, so report drops right away.
    if (this.socket.write(data) && this.droppedEvents > 0) setImmediate(() => this.onDrain());
    this.checkUnread();
  }

  /**
   * A client that does not take its replies gets no more work done for it:
   * past UNREAD_PAUSE_BYTES waiting in its pipe the engine stops reading its
   * requests (their answers would only pile up, and cost everyone the time
   * to make them), and if it is still behind after `maxUnreadMs` it is
   * disconnected.
   */
  private checkUnread(): void {
    const unread = this.isOpen && this.outgoing.byteLength + this.socket.writableLength > UNREAD_PAUSE_BYTES;
    if (unread !== this.unread) {
      this.unread = unread;
      this.updateFlow();
    }
    if (unread && !this.unreadTimer) {
      this.unreadTimer = setTimeout(
        () => this.dropNonReader(`${overLimit('maxUnreadMs')}: the client took none of its replies and events for ${LIMITS.maxUnreadMs} ms`),
        LIMITS.maxUnreadMs,
      );
    } else if (!unread && this.unreadTimer) {
      clearTimeout(this.unreadTimer);
      this.unreadTimer = null;
    }
  }

  private onDrain(): void {
    this.checkUnread();
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
