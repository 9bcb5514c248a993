import { connect, NoEngineError, type Client } from '../client';
import type { EndpointOptions } from '../protocol';

/** Exit code of every command that needs a running engine and finds none. */
export const NO_ENGINE = 3;

/** The options every command that talks to an engine takes to find it. */
export const FIND_ENGINE_OPTIONS = {
  endpoint: { type: 'string' },
  'state-dir': { type: 'string' },
} as const;

export const FIND_ENGINE_HELP = `  --endpoint P         engine pipe/socket (default: per user, or PANEPIPE_ENDPOINT)
  --state-dir DIR      where the engine's connection file is (default: per user, or PANEPIPE_HOME)`;

/** Where to look for the engine, from the parsed FIND_ENGINE_OPTIONS. */
export function engineWhere(values: { endpoint?: string | undefined; 'state-dir'?: string | undefined }): EndpointOptions {
  return { endpoint: values.endpoint, stateDir: values['state-dir'] };
}

/** Connect to a running engine (never start one); null, with the reason on stderr, when none answers. */
export async function connectExisting(name: string, where: EndpointOptions): Promise<Client | null> {
  try {
    return await connect({ ...where, name, timeoutMs: 3000 });
  } catch (err) {
    if (!(err instanceof NoEngineError)) throw err;
    process.stderr.write(`${name}: ${err.message}\n`);
    return null;
  }
}
