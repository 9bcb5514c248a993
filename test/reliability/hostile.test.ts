import * as path from 'node:path';
import { ATTACKS } from '../../bench/lib/hostile/attacks';
import { misses, runAttack } from '../../bench/lib/hostile/harness';
import { ROOT, startEngine } from '../helpers/engine';

/**
 * Each attack runs as a process of its own, on a fresh engine, beside a
 * well-behaved client process; each must leave the engine running, the good
 * client's round trips fast, the engine's memory bounded during the attack
 * and back near idle after it, and the attacker refused or cut off.
 * `npm run bench -- hostile` reports the same figures.
 */
const ATTACK_MS = 4_000;

describe('hostile clients beside a well-behaved one', () => {
  test.each(ATTACKS.map((a) => [a.name, a.row] as const))(
    '%s: %s',
    async (name) => {
      const engine = await startEngine();
      try {
        const figures = await runAttack(
          {
            pid: engine.proc.pid!,
            endpoint: engine.endpoint,
            stateDir: engine.stateDir,
            alive: () => engine.proc.exitCode === null && engine.proc.signalCode === null,
          },
          name,
          path.join(ROOT, 'dist'),
          ATTACK_MS,
        );
        expect({ attack: name, misses: misses(figures) }).toEqual({ attack: name, misses: [] });
      } catch (err) {
        throw new Error(`${(err as Error).message}\nengine output:\n${engine.output().slice(-2000)}`);
      } finally {
        await engine.stop();
      }
    },
    60_000,
  );
});
