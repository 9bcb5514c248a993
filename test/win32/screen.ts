// Screenshots of the whole Xvfb screen through `xwd -root`; Xvfb has no
// compositor, so what a layered window shows is what xwd reads.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { decodeXwd, type DecodedImage, type Rgb } from './xwd';

const execFileAsync = promisify(execFile);

export async function screenshot(display: string): Promise<DecodedImage> {
  const { stdout } = await execFileAsync('xwd', ['-root', '-silent', '-display', display], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  return decodeXwd(stdout);
}

export function sameRgb(a: Rgb, b: Rgb): boolean {
  return a.r === b.r && a.g === b.g && a.b === b.b;
}

/** Screenshots until `ready(image)` holds: windows appear a little after the app says so. */
export async function waitForScreen(display: string, ready: (image: DecodedImage) => boolean, timeoutMs = 10000): Promise<DecodedImage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const image = await screenshot(display);
    if (ready(image)) return image;
    if (Date.now() > deadline) throw new Error(`screen condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
