import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION, connectionFilePath } from '../protocol';
import { MainThread, type Logger } from './mainThread';
import type { EngineOptions } from './options';
import { writeConnectionFile } from './server/connectionFile';
import { restrictPipeAccess } from './server/listener';
import { prepareStateDirs } from './server/stateDirs';
import { ENGINE_VERSION } from './version';

export type { Logger } from './mainThread';

/**
 * Runs the engine process: its state directories, the engine thread, then
 * the endpoint clients connect to and the connection file that tells them
 * how. Resolves with the process exit code once the engine has stopped.
 */
export async function runEngine(opts: EngineOptions, log: Logger): Promise<number> {
  if (!stateDirsReady(opts, log)) return 1;
  const token = randomBytes(32).toString('hex');
  const startedAt = new Date().toISOString();
  const connectionFile = connectionFilePath(opts.endpoint, { stateDir: opts.stateDir });
  const main = new MainThread(opts, { token, startedAt, connectionFile }, log);
  process.once('SIGTERM', () => void main.shutdown('SIGTERM'));
  process.once('SIGINT', () => void main.shutdown('SIGINT'));

  await main.engineReady;
  const listenFailed = await main.listen();
  if (listenFailed !== null) return listenFailed;
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
  main.armIdleExit();
  return main.exitCode;
}

/** Creates and verifies the directories the engine writes to; false (logged) if one cannot be trusted. */
function stateDirsReady(opts: EngineOptions, log: Logger): boolean {
  try {
    prepareStateDirs(opts);
    return true;
  } catch (err) {
    log('error', (err as Error).message);
    return false;
  }
}
