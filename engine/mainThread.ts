import * as net from 'node:net';
import * as path from 'node:path';
import type { FromEngine } from './channel/messages';
import { QuietTidy } from './memory/quietTidy';
import type { EngineOptions } from './options';
import { Clients } from './server/clients';
import { removeConnectionFile } from './server/connectionFile';
import { IdleExit } from './server/idleExit';
import { EngineAlreadyRunning, listenExclusive } from './server/listener';
import { PositionStore } from './server/positions';
import { EngineThread } from './thread/engineThread';
import { ENGINE_VERSION } from './version';

/** How long shutdown waits for the engine thread before giving up on it. */
const STOP_TIMEOUT_MS = 5_000;

export type Logger = (level: 'info' | 'warn' | 'error', message: string) => void;

/** What this start of the engine is known by: the clients' token, and the connection file that tells it. */
export interface EngineStart {
  token: string;
  startedAt: string;
  connectionFile: string;
}

/** A promise with its resolve and reject at hand. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(err: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * The engine process's main thread: starts the engine thread, routes what it
 * sends, serves the clients' sessions, and ends everything in one orderly
 * shutdown.
 */
export class MainThread {
  private readonly ready = deferred<void>();
  private readonly threadStopped = deferred<void>();
  private readonly exit = deferred<number>();
  private readonly positions: PositionStore;
  private readonly tidy = new QuietTidy();
  private readonly idle: IdleExit;
  private readonly thread: EngineThread;
  private readonly clients: Clients;
  private readonly server: net.Server;
  private stopping: Promise<number> | null = null;

  constructor(
    private readonly opts: EngineOptions,
    private readonly start: EngineStart,
    private readonly log: Logger,
  ) {
    this.positions = new PositionStore(path.join(opts.stateDir, 'positions.json'), (m) => log('warn', m));
    this.idle = new IdleExit(opts.persistent ? null : opts.idleExitMs, () => void this.shutdown('no clients for the idle grace period'));
    this.thread = new EngineThread(
      {
        backend: opts.backend,
        monitorsSpec: opts.monitorsSpec,
        testInput: opts.testInput,
        fonts: opts.fonts,
        info: {
          version: ENGINE_VERSION,
          pid: process.pid,
          endpoint: opts.endpoint,
          startedAt: start.startedAt,
          persistent: opts.persistent,
          idleExitMs: opts.idleExitMs,
        },
      },
      (items) => this.receive(items),
      (code, error) => this.threadExited(code, error),
    );
    this.clients = new Clients(
      { token: start.token, backend: opts.backend, engineVersion: ENGINE_VERSION },
      this.thread,
      this.positions,
      this.tidy,
      this.idle,
      (m) => log('warn', m),
    );
    this.server = net.createServer((socket) => {
      if (this.stopping) return socket.destroy();
      this.clients.accept(socket);
    });
  }

  /** Resolves once the engine thread is ready; rejects if it exited first. */
  get engineReady(): Promise<void> {
    return this.ready.promise;
  }

  /** Resolves with the process exit code once the engine has stopped. */
  get exitCode(): Promise<number> {
    return this.exit.promise;
  }

  /** Listen on the endpoint; if the engine cannot, shut down and resolve with the exit code (0: another engine has it). */
  async listen(): Promise<number | null> {
    try {
      await listenExclusive(this.server, this.opts.endpoint);
      return null;
    } catch (err) {
      await this.shutdown(err instanceof EngineAlreadyRunning ? err.message : `cannot listen: ${(err as Error).message}`);
      if (err instanceof EngineAlreadyRunning) return 0;
      return 1;
    }
  }

  /** Listening: an engine no client comes to exits after the idle grace period. */
  armIdleExit(): void {
    this.clients.armIdleExit();
  }

  shutdown(reason: string, code = 0): Promise<number> {
    if (this.stopping) return this.stopping;
    this.stopping = this.stop(reason, code);
    void this.stopping.then(this.exit.resolve);
    return this.stopping;
  }

  private async stop(reason: string, code: number): Promise<number> {
    this.log('info', `shutting down: ${reason}`);
    this.idle.dispose();
    this.tidy.dispose();
    this.server.close();
    this.clients.goodbye(reason);
    this.thread.post({ t: 'shutdown' });
    this.thread.flush();
    const timedOut = await Promise.race([
      this.threadStopped.promise.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), STOP_TIMEOUT_MS).unref()),
    ]);
    if (timedOut) {
      this.log('error', 'engine thread did not stop in time; terminating it');
      await this.thread.terminate();
    }
    this.positions.flush();
    removeConnectionFile(this.start.connectionFile, process.pid);
    this.clients.destroy();
    return timedOut ? 1 : code;
  }

  private receive(items: FromEngine[]): void {
    for (const item of items) {
      switch (item.t) {
        case 'ready':
          this.clients.capabilities = item.capabilities;
          this.ready.resolve();
          break;
        case 'reply':
        case 'fail':
        case 'event':
        case 'applied':
          this.clients.deliver(item);
          break;
        case 'position':
          this.positions.set(item.key, item.x, item.y);
          break;
        case 'shutdownRequested':
          // After the rest of this batch, so the `stop` reply goes out before the goodbye.
          queueMicrotask(() => void this.shutdown(item.reason));
          break;
        case 'stopped':
          this.threadStopped.resolve();
          break;
        case 'log':
          this.log(item.level, item.message);
          break;
      }
    }
  }

  private threadExited(code: number, error: Error | null): void {
    this.threadStopped.resolve();
    if (this.stopping) return;
    const reason = `engine thread exited (code ${code})${error ? `: ${error.message}` : ''}`;
    if (error?.stack) this.log('error', error.stack);
    this.ready.reject(new Error(reason));
    void this.shutdown(reason, 1);
  }
}
