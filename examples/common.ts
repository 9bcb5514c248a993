/**
 * What every example shares: its command line (--duration, --screenshot,
 * --endpoint, --simulate), connecting with autostart, and an event loop
 * that ends by itself.
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { connect, type Client, type PanepipeEvent } from '../client';

export interface ExampleArgs {
  /** Exit after this many ms (default: run until Ctrl+C). */
  durationMs?: number;
  /** Before exiting, write the composed desktop to this PNG (headless backend). */
  screenshot?: string;
  endpoint?: string;
  /** Drive the example with the engine's test input (engine started with --test-input). */
  simulate: boolean;
  /** Whatever else the example accepts. */
  extra: Record<string, string | boolean | undefined>;
}

export const COMMON_USAGE = `  --duration MS       exit after MS milliseconds (default: until Ctrl+C)
  --screenshot FILE   write a PNG of the desktop before exiting (headless backend)
  --endpoint P        engine pipe/socket (default: per user, or PANEPIPE_ENDPOINT)
  --simulate          click through the example with test input (engine with --test-input)`;

export function parseExampleArgs(usage: string, extraOptions: Record<string, { type: 'string' | 'boolean' }> = {}): ExampleArgs {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      duration: { type: 'string' },
      screenshot: { type: 'string' },
      endpoint: { type: 'string' },
      simulate: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...extraOptions,
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n\nOptions:\n${COMMON_USAGE}\n`);
    process.exit(0);
  }
  const durationMs = values.duration === undefined ? undefined : Number(values.duration);
  if (durationMs !== undefined && !(durationMs >= 0)) throw new Error(`--duration: expected milliseconds, got "${values.duration}"`);
  const extra: ExampleArgs['extra'] = {};
  for (const k of Object.keys(extraOptions)) extra[k] = (values as Record<string, string | boolean | undefined>)[k];
  return {
    durationMs,
    screenshot: values.screenshot as string | undefined,
    endpoint: values.endpoint as string | undefined,
    simulate: (values.simulate as boolean | undefined) ?? false,
    extra,
  };
}

/** Connect to the engine, starting one if none runs. */
export function connectExample(args: ExampleArgs, name: string): Promise<Client> {
  return connect({ autostart: true, endpoint: args.endpoint, name });
}

export interface LoopOptions {
  /** Called every `everyMs` (and once at the start). */
  tick?: () => void | Promise<void>;
  everyMs?: number;
  onEvent?: (ev: PanepipeEvent) => void | Promise<void>;
  /** Called once, shortly after the start: drive the example with test input. */
  simulate?: () => void | Promise<void>;
}

/**
 * Run until --duration elapses, Ctrl+C, `stop()` or the engine going away;
 * then write the screenshot (if asked) and close (the engine removes every
 * surface of this client).
 */
export async function runLoop(client: Client, args: ExampleArgs, opts: LoopOptions): Promise<void> {
  let done = stopRequested;
  let wake: () => void = () => undefined;
  const stop = () => {
    done = true;
    wake();
  };
  stopCurrent = stop;
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const timers: NodeJS.Timeout[] = [];
  // --duration ends the loop, but lets a running --simulate finish first (for at most 5 s more).
  let simulating = false;
  const timeUp = () => {
    if (!simulating) return stop();
    timers.push(setTimeout(stop, 5000));
    whenSimulated = stop;
  };
  let whenSimulated: () => void = () => undefined;
  if (args.durationMs !== undefined) timers.push(setTimeout(timeUp, args.durationMs));
  if (opts.tick) {
    await opts.tick();
    timers.push(setInterval(() => void opts.tick!(), opts.everyMs ?? 1000));
  }
  if (args.simulate && opts.simulate) {
    if (!client.capabilities.testInput) console.error('--simulate: this engine was not started with --test-input; ignored');
    // Not awaited: the simulation may wait for events this loop delivers.
    else {
      simulating = true;
      void Promise.resolve()
        .then(opts.simulate)
        .catch((err: Error) => console.error(`--simulate: ${err.message}`))
        .finally(() => {
          simulating = false;
          whenSimulated();
        });
    }
  }
  while (!done) {
    for (let ev = client.pollEvent(); ev; ev = client.pollEvent()) {
      if (ev.type === 'disconnected') {
        if (ev.reason !== 'closed') console.error(`engine gone: ${ev.message}`);
        done = true;
        break;
      }
      if (ev.type === 'error') console.error(`engine error: ${ev.op}: ${ev.message}`);
      await opts.onEvent?.(ev);
    }
    if (!done) {
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 15);
      });
    }
  }
  for (const t of timers) clearTimeout(t);
  process.removeListener('SIGINT', stop);
  process.removeListener('SIGTERM', stop);
  if (!client.isClosed) {
    await client.sync();
    if (args.screenshot) await writeScreenshot(client, args.screenshot);
    await client.close();
  }
}

let stopRequested = false;
let stopCurrent: () => void = () => undefined;
/** End the running loop (e.g. from a Quit button); before it starts, it will end at once. */
export function stopLoop(): void {
  stopRequested = true;
  stopCurrent();
}

export async function writeScreenshot(client: Client, file: string): Promise<void> {
  try {
    const shot = await client.request('screenshot', {});
    fs.writeFileSync(file, shot.png);
    console.log(`screenshot: ${file} (${shot.width}x${shot.height})`);
  } catch (err) {
    console.error(`screenshot: ${(err as Error).message}`);
  }
}

/** A solid tray icon of raw RGBA pixels with a lighter border, so no icon file is needed. */
export function squareIcon(rgb: [number, number, number], size = 16): { rgba: Uint8Array; width: number; height: number } {
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const edge = x === 0 || y === 0 || x === size - 1 || y === size - 1;
      const i = (y * size + x) * 4;
      rgba[i] = edge ? 255 : rgb[0];
      rgba[i + 1] = edge ? 255 : rgb[1];
      rgba[i + 2] = edge ? 255 : rgb[2];
      rgba[i + 3] = 255;
    }
  return { rgba, width: size, height: size };
}

/** Run `main`, reporting a failure with exit code 1. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: Error) => {
      console.error(err.stack ?? err.message);
      process.exit(1);
    },
  );
}
