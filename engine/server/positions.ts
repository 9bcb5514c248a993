import * as fs from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from './atomicFile';

const PositionsFile = z.record(z.string(), z.object({ x: z.number().finite(), y: z.number().finite() }));

/** Delay before a moved surface's position is written; a drag writes once. */
const WRITE_DELAY_MS = 200;

/**
 * Positions saved under `positionKey`s. Loaded once at start; a missing or
 * corrupt file means no saved positions (with a warning), never a crash.
 */
export class PositionStore {
  private positions: Record<string, { x: number; y: number }> = {};
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string,
    private readonly warn: (message: string) => void,
  ) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warn(`positions file ${file} unreadable, using defaults: ${(err as Error).message}`);
      return;
    }
    try {
      this.positions = PositionsFile.parse(JSON.parse(text));
    } catch (err) {
      warn(`positions file ${file} is corrupt, using defaults: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  get(key: string): { x: number; y: number } | undefined {
    return Object.hasOwn(this.positions, key) ? this.positions[key] : undefined;
  }

  set(key: string, x: number, y: number): void {
    this.positions[key] = { x, y };
    if (!this.timer) this.timer = setTimeout(() => this.flush(), WRITE_DELAY_MS);
  }

  /** Write now if anything changed since the last write. */
  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    try {
      writeFileAtomic(this.file, JSON.stringify(this.positions, null, 2), 0o600);
    } catch (err) {
      this.warn(`could not save positions to ${this.file}: ${(err as Error).message}`);
    }
  }
}
