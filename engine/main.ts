import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as path from 'node:path';
import { PROTOCOL_VERSION, connectionFilePath, type Capabilities, type Welcome } from '../protocol';
import type { EngineOptions } from './options';
import { removeConnectionFile, writeConnectionFile } from './server/connectionFile';
import { EngineAlreadyRunning, listenExclusive, restrictPipeAccess } from './server/listener';
import { QuietTidy } from './memory/quietTidy';
import { PositionStore } from './server/positions';
import { Session, type SessionHost } from './server/session';
import { EngineThread } from './thread/engineThread';
import type { FromEngine } from './thread/messages';
import { ENGINE_VERSION } from './version';

/** How long shutdown waits for the engine thread before giving up on it. */
const STOP_TIMEOUT_MS = 5_000;

export type Logger = (level: 'info' | 'warn' | 'error', message: string) => void;

/**
 * The engine process's main thread: pipe server, sessions, routing between
 * sessions and the engine thread, idle exit and orderly shutdown.
 * Resolves with the process exit code once the engine has stopped.
 */
export async function runEngine(opts: EngineOptions, log: Logger): Promise<number> {
  const token = randomBytes(32).toString('hex');
  const startedAt = new Date().toISOString();
  const connectionFile = connectionFilePath(opts.endpoint, { stateDir: opts.stateDir });
  const positions = new PositionStore(path.join(opts.stateDir, 'positions.json'), (m) => log('warn', m));
  const sessions = new Map<number, Session>();
  const tidy = new QuietTidy();
  let nextSession = 1;
  let capabilities: Capabilities | null = null;
  let idleTimer: NodeJS.Timeout | null = null;
  let stopping: Promise<number> | null = null;
  let resolveExit!: (code: number) => void;
  const exitCode = new Promise<number>((r) => (resolveExit = r));
  let resolveStopped!: () => void;
  const threadStopped = new Promise<void>((r) => (resolveStopped = r));
  let resolveReady!: () => void;
  let rejectReady!: (err: Error) => void;
  const ready = new Promise<void>((res, rej) => ((resolveReady = res), (rejectReady = rej)));

  const onEngineMessages = (items: FromEngine[]) => {
    for (const item of items) {
      switch (item.t) {
        case 'ready':
          capabilities = item.capabilities;
          resolveReady();
          break;
        case 'reply':
          sessions.get(item.session)?.reply(item.seq, item.result);
          break;
        case 'fail':
          sessions.get(item.session)?.replyError(item.seq, item.error.code, item.error.message);
          break;
        case 'event':
          sessions.get(item.session)?.event(item.event);
          break;
        case 'applied':
          for (const [session, count] of item.counts) sessions.get(session)?.applied(count);
          break;
        case 'position':
          positions.set(item.key, item.x, item.y);
          break;
        case 'shutdownRequested':
          // After the rest of this batch, so the `stop` reply goes out before the goodbye.
          queueMicrotask(() => void shutdown(item.reason));
          break;
        case 'stopped':
          resolveStopped();
          break;
        case 'log':
          log(item.level, item.message);
          break;
      }
    }
  };

  const thread = new EngineThread(
    {
      backend: opts.backend,
      monitorsSpec: opts.monitorsSpec,
      testInput: opts.testInput,
      fonts: opts.fonts,
      info: { version: ENGINE_VERSION, pid: process.pid, endpoint: opts.endpoint, startedAt, persistent: opts.persistent, idleExitMs: opts.idleExitMs },
    },
    onEngineMessages,
    (code, error) => {
      resolveStopped();
      if (!stopping) {
        const reason = `engine thread exited (code ${code})${error ? `: ${error.message}` : ''}`;
        if (error?.stack) log('error', error.stack);
        rejectReady(new Error(reason));
        void shutdown(reason, 1);
      }
    },
  );

  const host: SessionHost = {
    token,
    welcome: (session): Welcome => ({
      welcome: 'panepipe',
      protocol: PROTOCOL_VERSION,
      engineVersion: ENGINE_VERSION,
      session: session.id,
      backend: opts.backend,
      capabilities: capabilities!,
    }),
    opened(session) {
      sessions.set(session.id, session);
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = null;
      thread.post({ t: 'open', session: session.id, meta: { name: session.name, pid: session.pid, connectedAt: session.connectedAt } });
    },
    command(session, cmd, images, frame) {
      const restored = 'positionKey' in cmd && cmd.positionKey ? positions.get(cmd.positionKey) : undefined;
      const runsFromBytes = frame !== undefined && !restored && !images?.length;
      if (frame) thread.postFrame(session.id, frame, runsFromBytes);
      if (runsFromBytes) return 1;
      thread.post({ t: 'cmd', session: session.id, cmd, ...(restored ? { restored } : {}), ...(images?.length ? { images } : {}) });
      return frame ? 2 : 1;
    },
    skipFrame(session, frame) {
      thread.postFrame(session.id, frame, false);
    },
    closed(session) {
      sessions.delete(session.id);
      thread.post({ t: 'close', session: session.id, bytesExchanged: session.bytesExchanged });
      tidy.clientLeft(session.bytesExchanged);
      armIdleExit();
    },
    dropping(session, reason) {
      log('warn', `disconnecting session ${session.id} (${JSON.stringify(session.name)}, pid ${session.pid}): ${reason}`);
    },
  };

  function armIdleExit(): void {
    if (opts.persistent || opts.idleExitMs === null || sessions.size > 0 || stopping) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void shutdown('no clients for the idle grace period'), opts.idleExitMs);
  }

  const server = net.createServer((socket) => {
    if (stopping) return socket.destroy();
    new Session(nextSession++, socket, host);
  });

  function shutdown(reason: string, code = 0): Promise<number> {
    if (stopping) return stopping;
    stopping = (async () => {
      log('info', `shutting down: ${reason}`);
      if (idleTimer) clearTimeout(idleTimer);
      tidy.dispose();
      server.close();
      for (const session of sessions.values()) session.goodbye(reason);
      thread.post({ t: 'shutdown' });
      thread.flush();
      const timedOut = await Promise.race([
        threadStopped.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), STOP_TIMEOUT_MS).unref()),
      ]);
      if (timedOut) {
        log('error', 'engine thread did not stop in time; terminating it');
        await thread.terminate();
      }
      positions.flush();
      removeConnectionFile(connectionFile, process.pid);
      for (const session of sessions.values()) session.destroy();
      return timedOut ? 1 : code;
    })();
    void stopping.then(resolveExit);
    return stopping;
  }

  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await ready;
  try {
    await listenExclusive(server, opts.endpoint);
  } catch (err) {
    await shutdown(err instanceof EngineAlreadyRunning ? err.message : `cannot listen: ${(err as Error).message}`);
    if (err instanceof EngineAlreadyRunning) return 0;
    return 1;
  }
  // Before the connection file exists, so no client is turned away meanwhile.
  const access = await restrictPipeAccess(opts.endpoint);
  if (access) log(access.level, access.message);
  writeConnectionFile(connectionFile, {
    endpoint: opts.endpoint,
    pid: process.pid,
    token,
    protocol: PROTOCOL_VERSION,
    engineVersion: ENGINE_VERSION,
    backend: opts.backend,
    startedAt,
  });
  log('info', `listening on ${opts.endpoint} (backend ${opts.backend}, pid ${process.pid})`);
  armIdleExit();
  return exitCode;
}
