import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';

/**
 * Where an engine listens and where it leaves its connection file.
 * Everything is per user: a named pipe carrying the user name on Windows,
 * a socket in a per-user 0700 directory elsewhere, with the connection file
 * beside it.
 */
export interface EndpointOptions {
  /** Explicit endpoint; otherwise PANEPIPE_ENDPOINT, otherwise the per-user default. */
  endpoint?: string;
  /**
   * Directory for saved positions, the default socket and a named pipe's
   * connection file; otherwise PANEPIPE_HOME, otherwise the per-user default
   * ($XDG_RUNTIME_DIR/panepipe, else a directory in the temp dir named for
   * the user, which must then be theirs).
   */
  stateDir?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export function resolveStateDir(opts: EndpointOptions = {}): string {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  if (opts.stateDir) return opts.stateDir;
  if (env.PANEPIPE_HOME) return env.PANEPIPE_HOME;
  if (platform === 'win32') {
    const base = env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local');
    return path.win32.join(base, 'panepipe');
  }
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'panepipe');
  // A name another user can predict and take first: the engine and the client refuse it then (platform/trust/privateDir).
  return path.join(env.TMPDIR || os.tmpdir(), `panepipe-${userTag()}`);
}

export function resolveEndpoint(opts: EndpointOptions = {}): string {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  if (opts.endpoint) return opts.endpoint;
  if (env.PANEPIPE_ENDPOINT) return env.PANEPIPE_ENDPOINT;
  if (platform === 'win32') return `\\\\.\\pipe\\panepipe-${userTag()}`;
  return path.join(resolveStateDir(opts), 'engine.sock');
}

export function isNamedPipe(endpoint: string): boolean {
  return endpoint.startsWith('\\\\.\\pipe\\') || endpoint.startsWith('\\\\?\\pipe\\');
}

/**
 * The connection file for an endpoint, one per endpoint so engines never
 * clash: beside a Unix socket, so one verified directory holds both; in the
 * state directory for a named pipe.
 */
export function connectionFilePath(endpoint: string, opts: EndpointOptions = {}): string {
  const digest = createHash('sha256').update(endpoint).digest('hex').slice(0, 16);
  const dir = isNamedPipe(endpoint) ? resolveStateDir(opts) : path.dirname(path.resolve(endpoint));
  return path.join(dir, `engine-${digest}.json`);
}

/** What the engine writes (mode 0600) and a client reads to connect. */
export const ConnectionInfo = z.object({
  endpoint: z.string(),
  pid: z.number().int(),
  token: z.string(),
  protocol: z.number().int(),
  engineVersion: z.string(),
  backend: z.enum(['win32', 'headless']),
  startedAt: z.string(),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfo>;

function userTag(): string {
  const info = os.userInfo();
  const name = info.username.replace(/[^A-Za-z0-9_.-]/g, '_') || 'user';
  return process.platform === 'win32' ? name : `${name}-${info.uid}`;
}
