/**
 * The well-behaved client beside an attack (forked with IPC): it loops
 * `createHud` + `destroy`, one every few ms, and on request reports the
 * round trips of `createHud` since its last report.
 */
import { performance } from 'node:perf_hooks';
import { connect } from '../../../client';
import { sleep } from '../stats';

/** Pause between round trips: a steady, ordinary load rather than a flood. */
const PAUSE_MS = 5;

export interface GoodClientWindow {
  roundTripsMs: number[];
  failures: string[];
}

const [endpoint, stateDir] = process.argv.slice(2);
let window: GoodClientWindow = { roundTripsMs: [], failures: [] };

process.on('message', (m: { cmd: 'window' | 'exit' }) => {
  if (m.cmd === 'exit') process.exit(0);
  process.send!(window);
  window = { roundTripsMs: [], failures: [] };
});

void (async () => {
  const pp = await connect({ endpoint: endpoint!, stateDir: stateDir!, name: 'good-client' });
  process.send!({ ready: true });
  for (let i = 0; ; i++) {
    const started = performance.now();
    try {
      const hud = await pp.createHud({ width: 120, height: 40, placement: { x: 10 + (i % 10) * 5, y: 10 } });
      window.roundTripsMs.push(performance.now() - started);
      hud.destroy();
    } catch (err) {
      window.failures.push((err as Error).message);
    }
    await sleep(PAUSE_MS);
  }
})();
