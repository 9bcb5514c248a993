import type { Client } from '../../client';
import { decodePng, inkBoxOf, type Pixels } from './png';

/** The whole headless desktop as composed now: every client's visible surfaces. */
export async function screenshot(client: Client): Promise<Pixels> {
  return decodePng((await client.request('screenshot', {})).png);
}

/**
 * Screenshots until `settled` holds, and returns the last one for the exact
 * checks that follow (which then fail with the pixels still on screen).
 */
export async function screenWhen(client: Client, settled: (shot: Pixels) => boolean, timeoutMs = 2_000): Promise<Pixels> {
  const deadline = Date.now() + timeoutMs;
  let shot = await screenshot(client);
  while (!settled(shot) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    shot = await screenshot(client);
  }
  return shot;
}

/** An RGBA pixel as a hex string, for readable assertions. */
export function hexAt(shot: Pixels, x: number, y: number): string {
  return `#${shot
    .at(x, y)
    .map((v) => v.toString(16).padStart(2, '0'))
    .join('')}`;
}

/** Box around every pixel of exactly `hex` (#rrggbbaa), in physical desktop pixels, or null. */
export function boxOf(shot: Pixels, hex: string): ReturnType<typeof inkBoxOf> {
  const want = [1, 3, 5, 7].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return inkBoxOf(shot.width, shot.height, (x, y) => (shot.at(x, y).every((v, i) => v === want[i]) ? 255 : 0));
}
