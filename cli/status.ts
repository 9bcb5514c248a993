import { parseArgs } from 'node:util';
import { FIND_ENGINE_HELP, FIND_ENGINE_OPTIONS, NO_ENGINE, connectExisting, engineWhere } from './connectExisting';

export const STATUS_HELP = `Usage: panepipe status [--json] [--endpoint P] [--state-dir DIR]

Show the running engine, its clients and their surfaces.

Options:
  --json               machine-readable output
${FIND_ENGINE_HELP}

Exit codes: 0 running, 3 no engine.
`;

export const STOP_HELP = `Usage: panepipe stop [--endpoint P] [--state-dir DIR]

Shut the engine down: every surface is destroyed, clients are told.

Options:
${FIND_ENGINE_HELP}

Exit codes: 0 stopped, 3 no engine was running.
`;

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, ...FIND_ENGINE_OPTIONS, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(STATUS_HELP);
    return 0;
  }
  const client = await connectExisting('panepipe status', engineWhere(values));
  if (!client) {
    if (values.json) process.stdout.write(`${JSON.stringify({ running: false })}\n`);
    return NO_ENGINE;
  }
  const status = await client.status();
  await client.close();
  // The status client itself is not one of the user's clients.
  const sessions = status.sessions.filter((s) => s.id !== client.session);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ running: true, ...status, sessions }, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `panepipe engine ${status.version} (pid ${status.pid}, ${status.backend}) on ${status.endpoint}`,
    `up ${Math.round(status.uptimeMs / 1000)} s, ${sessions.length} client(s), ${status.surfaces.length} surface(s), ${(status.rssBytes / 2 ** 20).toFixed(0)} MiB resident`,
    ...sessions.map((s) => `  client ${s.id} ${s.name} (pid ${s.pid}): ${s.surfaces.join(', ') || 'no surfaces'}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export async function stopCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...FIND_ENGINE_OPTIONS, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(STOP_HELP);
    return 0;
  }
  const client = await connectExisting('panepipe stop', engineWhere(values));
  if (!client) return NO_ENGINE;
  const gone = new Promise<void>((resolve) => {
    void (async () => {
      for await (const ev of client) if (ev.type === 'disconnected') break;
      resolve();
    })();
  });
  await client.stopEngine();
  await gone;
  process.stdout.write('engine stopped\n');
  return 0;
}
