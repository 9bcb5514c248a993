import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveEndpoint, resolveStateDir, type EndpointOptions } from '../protocol';
import { Client, DEFAULT_EVENT_QUEUE_CAPACITY } from './client';
import { EngineIdentityError, readConnectionInfo, verifyEnginePeer } from './engineIdentity';
import { startEngine, type StartedEngine } from './autostart';
import { NoEngineError, noEngineAt } from './noEngine';
import { openConnection, type OpenConnection } from './transport';

export interface ConnectOptions extends EndpointOptions {
  /** Start an engine if none answers. Default false. */
  autostart?: boolean;
  /** Name shown in `panepipe status`. Default: the script's file name. */
  name?: string;
  /** Give up connecting (and waiting for an autostarted engine) after this long. Default 10 s. */
  timeoutMs?: number;
  /** An autostarted engine exits this long after its last client leaves. Default 5 s. */
  idleExitMs?: number;
  /** Extra arguments for an autostarted engine, e.g. ['--backend', 'headless']. */
  engineArgs?: string[];
  /** Events kept for pollEvent() before further ones are dropped (and counted). */
  eventQueueCapacity?: number;
  /**
   * When the engine dies (not when it is stopped), find or start a new one and
   * rebuild every surface with its elements, position and visibility behind
   * the same handles. Events `reconnecting` and `reconnected` tell the story.
   */
  reconnect?: boolean;
  /** Give up reconnecting after this long (then `disconnected`). Default 30 s. */
  reconnectTimeoutMs?: number;
}

const RETRY_MS = 25;

/** Connect to the engine of this user (or of `endpoint`), starting one if asked to. */
export async function connect(opts: ConnectOptions = {}): Promise<Client> {
  const conn = await establish(opts);
  return new Client(conn, {
    eventQueueCapacity: opts.eventQueueCapacity ?? DEFAULT_EVENT_QUEUE_CAPACITY,
    reconnect: opts.reconnect ? () => establish(opts) : null,
    reconnectTimeoutMs: opts.reconnectTimeoutMs ?? 30_000,
  });
}

/** Open a connection with a completed handshake, autostarting an engine if allowed. */
async function establish(opts: ConnectOptions): Promise<OpenConnection> {
  const endpoint = resolveEndpoint(opts);
  const stateDir = resolveStateDir(opts);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  const name = opts.name ?? path.basename(process.argv[1] ?? 'client');
  let started: StartedEngine | null = null;
  try {
    for (;;) {
      try {
        const info = readConnectionInfo(endpoint, { stateDir });
        const hello = { client: name, pid: process.pid, token: info.token };
        return await openConnection(endpoint, hello, Math.max(1, deadline - Date.now()), (socket) => verifyEnginePeer(socket, endpoint, info));
      } catch (err) {
        // A refusal (wrong token, bad protocol) or a foreign engine is final, unless we are waiting
        // for a fresh engine of ours whose connection file is still being replaced.
        const replacing = started && ((err as { code?: string }).code === 'authFailed' || (err instanceof EngineIdentityError && err.pidMismatch));
        if (!(err instanceof NoEngineError) && !replacing) throw err;
        if (!opts.autostart) throw noEngineAt(endpoint, stateDir, (err as Error).message);
        // An engine that lost the start-up race to another exits with 0: the winner answers soon.
        const failed = started?.failure();
        if (failed) throw failed;
        if (Date.now() >= deadline) throw noEngineAt(endpoint, stateDir, `none answered within ${timeoutMs} ms of starting one`);
        started ??= startEngine(cliPath(), endpoint, stateDir, engineArgs(opts));
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  } finally {
    started?.release();
  }
}

function engineArgs(opts: ConnectOptions): string[] {
  return ['--idle-exit-ms', String(opts.idleExitMs ?? 5_000), ...(opts.engineArgs ?? [])];
}

/** The panepipe CLI next to this module: in the build, or in dist/ when running from source. */
function cliPath(): string {
  const candidates = [path.join(__dirname, '..', 'cli', 'main.js'), path.join(__dirname, '..', 'dist', 'cli', 'main.js')];
  return candidates.find((file) => fs.existsSync(file)) ?? candidates[0]!;
}
