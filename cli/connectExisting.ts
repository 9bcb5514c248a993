import { connect, NoEngineError, type Client } from '../client';

/** Exit code of every command that needs a running engine and finds none. */
export const NO_ENGINE = 3;

/** Connect to a running engine (never start one); null, with a message on stderr, when none answers. */
export async function connectExisting(name: string, endpoint: string | undefined): Promise<Client | null> {
  try {
    return await connect({ endpoint, name, timeoutMs: 3000 });
  } catch (err) {
    if (!(err instanceof NoEngineError)) throw err;
    process.stderr.write(`${name}: no engine running\n`);
    return null;
  }
}
