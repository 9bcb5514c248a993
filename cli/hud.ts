import { parseArgs } from 'node:util';
import { connect, type Anchor as AnchorName, type Client } from '../client';
import { Anchor, isColor } from '../protocol';
import { didYouMean, usageError } from './usage';
import { FIND_ENGINE_HELP, FIND_ENGINE_OPTIONS, NO_ENGINE, engineWhere } from './connectExisting';

export const HUD_HELP = `Usage: panepipe hud TEXT [options]

Show TEXT in a click-through HUD (fading in and out), wait, and exit: a
notification from scripts. Starts an engine if none runs.

Options:
  --timeout T          how long it stays: 5s (default), 1500ms, 2m, or seconds
  --anchor A           top-left, top-center, top-right (default), center-left,
                       center, center-right, bottom-left, bottom-center, bottom-right
                       (or as the API spells them: topLeft, topRight, …)
  --monitor N          monitor index, 0 is the primary (default 0)
  --margin N           distance from the monitor's edges (default 20)
  --color C            text colour, any CSS colour: white, #rrggbb, rgb(…) (default #ffffff)
  --background C       background color (default #14141ee6)
  --font-size N        text size in pixels (default 18)
  --fade MS            fade-in/fade-out duration (default 200; 0 for none)
${FIND_ENGINE_HELP}
  --no-autostart       fail instead of starting an engine when none runs

Exit codes: 0 shown for the whole timeout and removed, 2 bad usage,
3 no engine (could not connect or start one), 4 the engine refused the HUD
or went away while it was showing.
`;

const ANCHORS: Record<string, AnchorName> = {
  'top-left': 'topLeft',
  'top-center': 'topCenter',
  'top-right': 'topRight',
  'center-left': 'centerLeft',
  center: 'center',
  'center-right': 'centerRight',
  'bottom-left': 'bottomLeft',
  'bottom-center': 'bottomCenter',
  'bottom-right': 'bottomRight',
};

/** An anchor as the CLI spells it (`top-right`) or as the API does (`topRight`). */
function anchorNamed(name: string): AnchorName | undefined {
  return ANCHORS[name] ?? Anchor.options.find((a) => a === name);
}

/** "5s", "1500ms", "2m" or a plain number of seconds, in ms; NaN if unreadable. */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(s.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000);
}

const PAD_X = 16;
const PAD_Y = 10;

export async function hudCommand(argv: string[]): Promise<number> {
  // A command line parseArgs refuses is reported by the CLI's entry point, briefly.
  const parsed = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      timeout: { type: 'string' },
      anchor: { type: 'string' },
      monitor: { type: 'string' },
      margin: { type: 'string' },
      color: { type: 'string' },
      background: { type: 'string' },
      'font-size': { type: 'string' },
      fade: { type: 'string' },
      ...FIND_ENGINE_OPTIONS,
      'no-autostart': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HUD_HELP);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] === '') return usage('one TEXT argument is needed (quote it)');
  const text = positionals[0]!;
  const timeoutMs = parseDuration(values.timeout ?? '5s');
  if (!Number.isFinite(timeoutMs)) return usage(`--timeout: cannot read "${values.timeout}"`);
  const anchor = anchorNamed(values.anchor ?? 'top-right');
  if (!anchor) return usage(`--anchor: unknown anchor "${values.anchor}"${didYouMean(values.anchor!, [...Object.keys(ANCHORS), ...Anchor.options])}`);
  const color = values.color ?? '#ffffff';
  const background = values.background ?? '#14141ee6';
  for (const [name, c] of [
    ['--color', color],
    ['--background', background],
  ] as const)
    if (!isColor(c)) return usage(`${name}: "${c}" is not a CSS colour (a name, #rrggbb, rgb(), hsl(), …)`);
  const num = (name: string, v: string | undefined, dflt: number, min: number, max: number): number | string => {
    if (v === undefined) return dflt;
    const n = Number(v);
    return Number.isFinite(n) && n >= min && n <= max ? n : `${name}: expected a number from ${min} to ${max}, got "${v}"`;
  };
  const fontSize = num('--font-size', values['font-size'], 18, 1, 500);
  const monitor = num('--monitor', values.monitor, 0, 0, 63);
  const margin = num('--margin', values.margin, 20, 0, 10_000);
  const fade = num('--fade', values.fade, 200, 0, 60_000);
  for (const v of [fontSize, monitor, margin, fade]) if (typeof v === 'string') return usage(v);

  let client: Client;
  try {
    client = await connect({ ...engineWhere(values), autostart: !values['no-autostart'], name: 'panepipe hud' });
  } catch (err) {
    process.stderr.write(`panepipe hud: ${(err as Error).message}\n`);
    return NO_ENGINE;
  }
  try {
    const size = await client.measureText({ text, fontSize: fontSize as number });
    const width = Math.min(8192, Math.ceil(size.width) + 2 * PAD_X);
    const height = Math.min(8192, Math.ceil(size.height) + 2 * PAD_Y);
    const hud = await client.createHud({ width, height, placement: { monitor: Math.floor(monitor as number), anchor, margin: margin as number } });
    hud.setRect('bg', { x: 0, y: 0, width, height, fill: background, cornerRadius: 8 });
    hud.setText('text', { text, x: PAD_X, y: PAD_Y, fontSize: fontSize as number, color });
    if (fade) hud.fadeIn(fade as number);
    else hud.show();
    await client.sync();
    const failure = drainError(client);
    if (failure) throw new Error(failure);
    await sleep(timeoutMs);
    if (client.isClosed) throw new Error('the engine went away');
    if (fade) {
      hud.fadeOut(fade as number);
      await waitFade(client, hud.id, (fade as number) + 2000);
    }
    hud.destroy();
    await client.sync();
    await client.close();
    return 0;
  } catch (err) {
    process.stderr.write(`panepipe hud: ${(err as Error).message}\n`);
    await client.close();
    return 4;
  }
}

function usage(message: string): number {
  return usageError('panepipe hud', message);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function drainError(client: Client): string | null {
  for (let ev = client.pollEvent(); ev; ev = client.pollEvent()) {
    if (ev.type === 'error') return `${ev.op}: ${ev.message}`;
    if (ev.type === 'disconnected') return ev.message;
  }
  return null;
}

async function waitFade(client: Client, id: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !client.isClosed) {
    for (let ev = client.pollEvent(); ev; ev = client.pollEvent()) if (ev.type === 'fadeCompleted' && ev.surface === id && ev.direction === 'out') return;
    await sleep(10);
  }
}
