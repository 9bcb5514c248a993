#!/usr/bin/env node
import './engineMemory';
// First: it configures msgpackr, which the other imports load.
import './msgpackStrings';
import { ENGINE_HELP, engineCommand } from './engineCommand';
import { HOST_HELP, hostCommand } from './host/run';
import { HUD_HELP, hudCommand } from './hud';
import { DEMO_HELP, demoCommand } from './demo/run';
import { SCREENSHOT_HELP, screenshotCommand } from './screenshot';
import { STATUS_HELP, STOP_HELP, statusCommand, stopCommand } from './status';
import { ENGINE_VERSION } from '../engine/version';
import { USAGE, didYouMean, usageError } from './usage';

const HELP = `Usage: panepipe <command> [options]

Commands:
  engine       run the overlay engine
  status       show the engine, its clients and surfaces
  stop         shut the engine down
  screenshot   write the composed desktop to a PNG (headless)
  demo         run the demo: an engine, two client processes, clicks, a screenshot
  host         JSON-RPC 2.0 over stdio, a drop-in for winpane-host
  hud          show a text notification for a while (for scripts)

Run "panepipe <command> --help" for a command's options, "panepipe --version" for the version.
`;

const COMMANDS: Record<string, { run(argv: string[]): Promise<number>; help: string }> = {
  engine: { run: engineCommand, help: ENGINE_HELP },
  status: { run: statusCommand, help: STATUS_HELP },
  stop: { run: stopCommand, help: STOP_HELP },
  screenshot: { run: screenshotCommand, help: SCREENSHOT_HELP },
  demo: { run: demoCommand, help: DEMO_HELP },
  host: { run: hostCommand, help: HOST_HELP },
  hud: { run: hudCommand, help: HUD_HELP },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? 0 : USAGE;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`${ENGINE_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`panepipe: unknown command "${name}"${didYouMean(name, Object.keys(COMMANDS))}\nRun "panepipe --help" for the commands.\n`);
    return USAGE;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    // node:util parseArgs refusing the command line: a usage error, said briefly, with a suggestion.
    if (!String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw err;
    return usageError(`panepipe ${name}`, (err as Error).message, optionsIn(command.help));
  }
}

/** The option names a command's help lists (its help is the one list of them). */
function optionsIn(help: string): string[] {
  return [...new Set(help.match(/(?<=--)[a-z][\w-]*/g) ?? [])];
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`panepipe: ${err.message}\n`);
    process.exitCode = 1;
  },
);
