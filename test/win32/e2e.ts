// Shared pieces of the win32 end-to-end suites: the real engine
// (Windows node.exe running dist/cli/main.js engine --backend win32) and
// client processes (fixtures/client.js) driven through files, plus screen
// and event helpers. See backend.test.ts and dpi.test.ts.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sameRgb, spawnWindowsNode, toWindowsPath, waitForScreen, wineEnv, type DecodedImage, type Rgb, type WindowsNodeProcess } from './harness';

export const ROOT = wineEnv().projectRoot;
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
export const DIST_CLIENT = path.join(ROOT, 'dist', 'client');
export const CLIENT = path.join(__dirname, 'fixtures', 'client.js');
export const CLICK_TARGET = path.join(__dirname, 'fixtures', 'click-target.js');
export const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
export const BLACK: Rgb = { r: 0, g: 0, b: 0 };
export const ORANGE: Rgb = { r: 0xff, g: 0x80, b: 0x00 };
export const BLUE: Rgb = { r: 0x20, g: 0x40, b: 0xff };
export const GREEN: Rgb = { r: 0x00, g: 0xff, b: 0x00 };
export const TARGET_RED: Rgb = { r: 0xc0, g: 0x10, b: 0x10 };

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(30);
  }
}

export type Json = Record<string, unknown>;
export interface PanepipeEventJson {
  type: string;
  [k: string]: unknown;
}

/** A client process (fixtures/client.js) driven through a command file; it writes results and events as JSON lines. */
export class WineClient {
  private nextId = 1;
  private constructor(
    readonly proc: WindowsNodeProcess,
    private readonly inFile: string,
    private readonly outFile: string,
  ) {}

  static async start(display: string, dir: string, name: string, endpoint: string, stateDir: string): Promise<WineClient> {
    const inFile = path.join(dir, `${name}.in.jsonl`);
    const outFile = path.join(dir, `${name}.out.jsonl`);
    fs.writeFileSync(inFile, '');
    fs.writeFileSync(outFile, '');
    const proc = spawnWindowsNode(CLIENT, [toWindowsPath(DIST_CLIENT), endpoint, toWindowsPath(stateDir), toWindowsPath(inFile), toWindowsPath(outFile)], {
      display,
      outDir: path.join(dir, name),
    });
    const client = new WineClient(proc, inFile, outFile);
    await until(`${name} ready`, () => client.lines().find((l) => l.ready || l.fatal), 60_000).then((l) => {
      if (l.fatal) throw new Error(`client ${name}: ${String(l.fatal)}`);
    });
    return client;
  }

  lines(): Json[] {
    return fs
      .readFileSync(this.outFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Json);
  }

  events(): PanepipeEventJson[] {
    return this.lines()
      .filter((l) => l.event)
      .map((l) => l.event as PanepipeEventJson);
  }

  /** `repeat`: make the same call that many times in one turn of the client's event loop (one reply). */
  async call(method: string, args: unknown[] = [], opts: { target?: string; save?: string; repeat?: number } = {}): Promise<unknown> {
    const id = this.nextId++;
    fs.appendFileSync(this.inFile, `${JSON.stringify({ id, method, args, ...opts })}\n`);
    const line = await until(`reply to ${method} (#${id})`, () => this.lines().find((l) => l.id === id), 15_000);
    if (!line.ok) throw new Error(`${method} failed: ${String(line.error)}`);
    return line.result;
  }

  on(target: string, method: string, ...args: unknown[]): Promise<unknown> {
    return this.call(method, args, { target });
  }

  async waitEvent(what: string, match: (e: PanepipeEventJson) => boolean, timeoutMs = 10_000): Promise<PanepipeEventJson> {
    return until(what, () => this.events().find(match), timeoutMs);
  }
}

/** Visible X windows whose name matches `name` (a regex). */
export function xwindows(display: string, name: string): string[] {
  const out = spawnSync('xdotool', ['search', '--onlyvisible', '--name', name], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' });
  return out.stdout.split('\n').filter(Boolean);
}

export function geometryOf(display: string, id: string): { x: number; y: number; width: number; height: number } {
  const out = spawnSync('xdotool', ['getwindowgeometry', '--shell', id], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' });
  const g = Object.fromEntries(
    out.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('=')),
  ) as Record<string, string>;
  return { x: Number(g.X), y: Number(g.Y), width: Number(g.WIDTH), height: Number(g.HEIGHT) };
}

/**
 * waitForScreen that survives a failed capture: `xwd` can fail with
 * BadDrawable when a window is destroyed while it reads the screen.
 */
export async function screenUntil(display: string, ready: (img: DecodedImage) => boolean, timeoutMs = 10_000): Promise<DecodedImage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await waitForScreen(display, ready, Math.max(0, deadline - Date.now()));
    } catch (err) {
      if (Date.now() > deadline || !/BadDrawable|BadWindow|BadMatch/.test(String(err))) throw err;
    }
  }
}

export function pixelIs(img: DecodedImage, x: number, y: number, rgb: Rgb): boolean {
  return sameRgb(img.pixel(x, y), rgb);
}

export interface EngineOptions {
  display: string;
  /** Folder for the engine's log, trace and output. */
  dir: string;
  stateDir: string;
  /** Named-pipe endpoint, e.g. \\.\pipe\name. */
  endpoint: string;
  name: string;
}

/** `panepipe engine --backend win32` under Wine; resolves once it listens. */
export async function startEngine(o: EngineOptions): Promise<WindowsNodeProcess> {
  const log = path.join(o.dir, `${o.name}.log`);
  const p = spawnWindowsNode(
    CLI,
    [
      'engine',
      '--backend',
      'win32',
      '--endpoint',
      o.endpoint,
      '--state-dir',
      toWindowsPath(o.stateDir),
      '--persistent',
      '--font',
      toWindowsPath(FONT),
      '--log-file',
      toWindowsPath(log),
    ],
    { display: o.display, outDir: path.join(o.dir, o.name), env: { PANEPIPE_WIN32_TRACE: toWindowsPath(path.join(o.dir, `${o.name}.trace.log`)) } },
  );
  await until(
    `${o.name} listening`,
    () => {
      if (fs.existsSync(log) && /listening on/.test(fs.readFileSync(log, 'utf8'))) return true;
      const { stderr } = p.readOutput();
      if (stderr.trim()) throw new Error(`${o.name} failed:\n${stderr}`);
      return undefined;
    },
    90_000,
  );
  return p;
}

/** `test()` that also records how long each case took in `timings` (printed by the suite). */
export function timedTests(timings: string[], defaultTimeout: number) {
  return (name: string, fn: () => Promise<void>, timeout = defaultTimeout): void => {
    test(
      name,
      async () => {
        const start = Date.now();
        try {
          await fn();
        } finally {
          timings.push(`${name}: ${Date.now() - start} ms`);
        }
      },
      timeout,
    );
  };
}
