// Mouse input through xdotool: Wine turns these X events into real
// WM_NCHITTEST / WM_*BUTTON* messages for the window under the pointer.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs `xdotool ARGS` against `display`; resolves with its stdout. */
export async function xdotool(display: string, ...args: (string | number)[]): Promise<string> {
  const { stdout } = await execFileAsync('xdotool', args.map(String), { env: { ...process.env, DISPLAY: display } });
  return stdout;
}

export async function mouseMove(display: string, x: number, y: number): Promise<void> {
  await xdotool(display, 'mousemove', x, y);
}

/** Moves to (x, y) in screen coordinates and clicks `button` (1 left, 2 middle, 3 right). */
export async function click(display: string, x: number, y: number, button = 1): Promise<void> {
  await xdotool(display, 'mousemove', x, y, 'click', button);
}

export async function mouseDown(display: string, button = 1): Promise<void> {
  await xdotool(display, 'mousedown', button);
}

export async function mouseUp(display: string, button = 1): Promise<void> {
  await xdotool(display, 'mouseup', button);
}
