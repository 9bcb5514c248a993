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

const HELP = `Usage: panepipe <command> [options]

Commands:
  engine       run the overlay engine
  status       show the engine, its clients and surfaces
  stop         shut the engine down
  screenshot   write the composed desktop to a PNG (headless)
  demo         run the demo: an engine, two client processes, clicks, a screenshot
  host         JSON-RPC 2.0 over stdio, a drop-in for winpane-host
  hud          show a text notification for a while (for scripts)

Run "panepipe <command> --help" for a command's options.
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
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`panepipe: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  return command.run(rest);
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
