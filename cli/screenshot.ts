import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { usageError } from './usage';
import { FIND_ENGINE_HELP, FIND_ENGINE_OPTIONS, NO_ENGINE, connectExisting, engineWhere } from './connectExisting';

export const SCREENSHOT_HELP = `Usage: panepipe screenshot FILE.png [--endpoint P] [--state-dir DIR]

Write the desktop as the engine composes it (every visible surface in
z-order, with opacity and fades) to FILE.png. Headless backend.

Options:
${FIND_ENGINE_HELP}

Exit codes: 0 written, 2 bad usage, 3 no engine, 4 not supported by the backend.
`;

export async function screenshotCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...FIND_ENGINE_OPTIONS, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(SCREENSHOT_HELP);
    return 0;
  }
  const [file] = positionals;
  if (!file || positionals.length > 1) return usageError('panepipe screenshot', 'one FILE.png argument is needed');
  const client = await connectExisting('panepipe screenshot', engineWhere(values));
  if (!client) return NO_ENGINE;
  try {
    const shot = await client.request('screenshot', {});
    fs.writeFileSync(file, shot.png);
    process.stdout.write(`wrote ${file} (${shot.width}×${shot.height})\n`);
    return 0;
  } catch (err) {
    if ((err as { code?: string }).code !== 'unsupported') throw err;
    process.stderr.write(`panepipe screenshot: ${(err as Error).message}\n`);
    return 4;
  } finally {
    await client.close();
  }
}
