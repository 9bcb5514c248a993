import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { NO_ENGINE, connectExisting } from './connectExisting';

export const SCREENSHOT_HELP = `Usage: panepipe screenshot FILE.png [--endpoint P]

Write the desktop as the engine composes it (every visible surface in
z-order, with opacity and fades) to FILE.png. Headless backend.
Exit codes: 0 written, 2 bad usage, 3 no engine, 4 not supported by the backend.
`;

export async function screenshotCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { endpoint: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(SCREENSHOT_HELP);
    return 0;
  }
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    process.stderr.write(SCREENSHOT_HELP);
    return 2;
  }
  const client = await connectExisting('panepipe screenshot', values.endpoint);
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
