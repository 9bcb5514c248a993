import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { resolveEndpoint, resolveStateDir } from '../protocol';
import { runEngine, type Logger } from '../engine/main';
import { EngineOptions } from '../engine/options';
import { DEFAULT_MONITORS_SPEC, parseMonitorsSpec } from '../engine/platform/headless/monitors';
import { AVAILABLE_BACKENDS, defaultBackend } from '../engine/platform/backends';

export const ENGINE_HELP = `Usage: panepipe engine [options]

Run the overlay engine in the foreground.

Options:
  --backend win32|headless   platform backend (default: ${defaultBackend()}; available: ${AVAILABLE_BACKENDS.join(', ')})
  --endpoint P               pipe/socket to listen on (default: per user, or PANEPIPE_ENDPOINT)
  --state-dir DIR            where the connection file and saved positions live (or PANEPIPE_HOME)
  --persistent               never exit for lack of clients
  --idle-exit-ms N           exit N ms after the last client leaves (autostarted engines)
  --font FILE                register a font file (repeatable)
  --monitors SPEC            headless monitors, e.g. 1920x1080@96,2560x1440@144 (first is primary;
                             +tray after one, as in 2560x1440@144+tray, puts the tray icons on its taskbar)
  --test-input               accept the test* ops (headless input injection, virtual windows)
  --log-file FILE            append log lines here instead of stderr
`;

export async function engineCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string' },
      endpoint: { type: 'string' },
      'state-dir': { type: 'string' },
      persistent: { type: 'boolean' },
      'idle-exit-ms': { type: 'string' },
      font: { type: 'string', multiple: true },
      monitors: { type: 'string' },
      'test-input': { type: 'boolean' },
      'log-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(ENGINE_HELP);
    return 0;
  }
  for (const font of values.font ?? []) {
    try {
      fs.accessSync(font, fs.constants.R_OK);
    } catch {
      process.stderr.write(`panepipe engine: --font: cannot read "${font}"\n`);
      return 2;
    }
  }
  try {
    parseMonitorsSpec(values.monitors ?? DEFAULT_MONITORS_SPEC);
  } catch (err) {
    process.stderr.write(`panepipe engine: ${(err as Error).message}\n`);
    return 2;
  }
  const stateDir = resolveStateDir({ stateDir: values['state-dir'] });
  const parsed = EngineOptions.safeParse({
    backend: values.backend ?? defaultBackend(),
    endpoint: resolveEndpoint({ endpoint: values.endpoint, stateDir }),
    stateDir,
    persistent: values.persistent ?? false,
    idleExitMs: values['idle-exit-ms'] === undefined ? null : Number(values['idle-exit-ms']),
    fonts: values.font ?? [],
    monitorsSpec: values.monitors ?? DEFAULT_MONITORS_SPEC,
    testInput: values['test-input'] ?? false,
  });
  if (!parsed.success) {
    process.stderr.write(`panepipe engine: ${parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}\n`);
    return 2;
  }
  return runEngine(parsed.data, logger(values['log-file']));
}

function logger(file: string | undefined): Logger {
  return (level, message) => {
    const line = `${new Date().toISOString()} ${level} ${message}\n`;
    if (file) fs.appendFileSync(file, line);
    else process.stderr.write(line);
  };
}
