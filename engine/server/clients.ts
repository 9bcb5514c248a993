import type * as net from 'node:net';
import { PROTOCOL_VERSION, type Capabilities, type Command, type EngineEvent, type FrameSpan, type Welcome } from '../../protocol';
import type { AttachedImage, FromEngine, ToEngine } from '../channel/messages';
import type { QuietTidy } from '../memory/quietTidy';
import type { BackendName } from '../platform/platform';
import type { IdleExit } from './idleExit';
import type { PositionStore } from './positions';
import { Session, type SessionHost } from './session';

/** Where the main thread posts work for the engine thread. */
export interface EngineInbox {
  post(item: ToEngine): void;
  postFrame(session: number, frame: FrameSpan, execute: boolean): void;
}

/** What the engine thread sends for one session. */
export type SessionOutput = Extract<FromEngine, { t: 'reply' | 'fail' | 'event' | 'applied' }>;

/** What the engine says of itself in every welcome. */
export interface EngineFacts {
  token: string;
  backend: BackendName;
  engineVersion: string;
}

/**
 * The connected clients: a Session per connection, their commands forwarded
 * to the engine thread in the order they were sent, and what the engine
 * thread answers delivered to the session it is for.
 */
export class Clients implements SessionHost {
  /** Reported by the engine thread when it is ready, before the engine listens. */
  capabilities: Capabilities | null = null;
  private readonly sessions = new Map<number, Session>();
  private nextSession = 1;

  constructor(
    private readonly engine: EngineFacts,
    private readonly inbox: EngineInbox,
    private readonly positions: PositionStore,
    private readonly tidy: QuietTidy,
    private readonly idle: IdleExit,
    private readonly warn: (message: string) => void,
  ) {}

  accept(socket: net.Socket): void {
    new Session(this.nextSession++, socket, this);
  }

  deliver(item: SessionOutput): void {
    switch (item.t) {
      case 'reply':
        this.sessions.get(item.session)?.reply(item.seq, item.result);
        break;
      case 'fail':
        this.sessions.get(item.session)?.replyError(item.seq, item.error.code, item.error.message);
        break;
      case 'event':
        this.sessions.get(item.session)?.event(item.event);
        break;
      case 'applied':
        for (const [session, count] of item.counts) this.sessions.get(session)?.applied(count);
        break;
    }
  }

  /** Start the idle exit's grace period if no client is connected. */
  armIdleExit(): void {
    if (this.sessions.size === 0) this.idle.arm();
  }

  goodbye(reason: string): void {
    for (const session of this.sessions.values()) session.goodbye(reason);
  }

  destroy(): void {
    for (const session of this.sessions.values()) session.destroy();
  }

  // ---- SessionHost ----------------------------------------------------------

  get token(): string {
    return this.engine.token;
  }

  welcome(session: Session): Welcome {
    return {
      welcome: 'panepipe',
      protocol: PROTOCOL_VERSION,
      engineVersion: this.engine.engineVersion,
      session: session.id,
      backend: this.engine.backend,
      capabilities: this.capabilities!,
    };
  }

  opened(session: Session): void {
    this.sessions.set(session.id, session);
    this.idle.cancel();
    this.inbox.post({ t: 'open', session: session.id, meta: { name: session.name, pid: session.pid, connectedAt: session.connectedAt } });
  }

  command(session: Session, cmd: Command, images?: AttachedImage[], frame?: FrameSpan): number {
    const restored = 'positionKey' in cmd && cmd.positionKey ? this.positions.get(cmd.positionKey) : undefined;
    const runsFromBytes = frame !== undefined && !restored && !images?.length;
    if (frame) this.inbox.postFrame(session.id, frame, runsFromBytes);
    if (runsFromBytes) return 1;
    this.inbox.post({ t: 'cmd', session: session.id, cmd, ...(restored ? { restored } : {}), ...(images?.length ? { images } : {}) });
    return frame ? 2 : 1;
  }

  failInOrder(session: Session, event: Extract<EngineEvent, { type: 'error' }>): void {
    this.inbox.post({ t: 'error', session: session.id, event });
  }

  skipFrame(session: Session, frame: FrameSpan): void {
    this.inbox.postFrame(session.id, frame, false);
  }

  closed(session: Session): void {
    this.sessions.delete(session.id);
    this.inbox.post({ t: 'close', session: session.id, bytesExchanged: session.bytesExchanged });
    this.tidy.clientLeft(session.bytesExchanged);
    this.armIdleExit();
  }

  dropping(session: Session, reason: string): void {
    this.warn(`disconnecting session ${session.id} (${JSON.stringify(session.name)}, pid ${session.pid}): ${reason}`);
  }
}
