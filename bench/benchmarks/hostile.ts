import * as path from 'node:path';
import { ATTACKS } from '../lib/hostile/attacks';
import { TARGETS, misses, runAttack } from '../lib/hostile/harness';
import { startEngine } from '../lib/engine';
import { procAvailable } from '../lib/proc';
import { row, type Benchmark, type BenchContext, type Row } from '../lib/report';

/** How long each attacker keeps at it (--quick: shorter). */
const ATTACK_MS = 6_000;
const QUICK_ATTACK_MS = 3_000;
const MIB = 2 ** 20;
/** dist/, above this compiled file's dist/bench/benchmarks. */
const DIST = path.resolve(__dirname, '..', '..');

/**
 * Hostile clients: each attack of bench/lib/hostile/attacks.ts runs as a
 * process of its own on a fresh engine, beside a well-behaved client that
 * loops `createHud` + `destroy`. Reported per attack: the good client's
 * round-trip p99 during the attack, the engine's RSS peak over idle, its
 * RSS 5 s after the attacker left as a ratio of idle, and what the attacker
 * was told. The test suite (test/reliability/hostile.test.ts) holds the
 * same targets. Runs only when named: `npm run bench -- hostile`.
 */
export const hostile: Benchmark = {
  name: 'hostile',
  title: 'Hostile clients beside a well-behaved one',
  onRequest: true,
  async run(ctx: BenchContext): Promise<Row[]> {
    const B = 'hostile';
    const out: Row[] = [];
    for (const attack of ATTACKS) {
      const engine = await startEngine(ctx.launch);
      if (!procAvailable(engine.pid)) {
        await engine.stop();
        throw new Error("the hostile benchmark reads the engine's memory from /proc (Linux, or Wine on Linux)");
      }
      try {
        const f = await runAttack(
          {
            pid: engine.pid,
            endpoint: engine.endpoint,
            stateDir: engine.stateDir,
            alive: () => engine.proc.exitCode === null && engine.proc.signalCode === null,
          },
          attack.name,
          DIST,
          ctx.quick ? QUICK_ATTACK_MS : ATTACK_MS,
        );
        const missed = misses(f);
        const told = f.report.errors[0]
          ? `${f.report.errors[0].code}: ${f.report.errors[0].message.slice(0, 120)}`
          : (f.report.reason ?? (f.report.disconnected ? 'disconnected' : 'nothing'));
        ctx.log(
          `  ${attack.name}: good p99 ${f.good.p99.toFixed(1)} ms, RSS idle ${(f.rss.idle / MIB).toFixed(0)} peak ${(f.rss.peak / MIB).toFixed(0)} after ${(f.rss.afterLeaving / MIB).toFixed(0)} MiB; told: ${told}${missed.length ? `; MISSED: ${missed.join('; ')}` : ''}`,
        );
        out.push(
          row(B, `${attack.name}: good client createHud p99`, 'ms', [f.good.p99], {
            target: { text: `≤ ${TARGETS.goodP99Ms} ms`, ok: (v) => v <= TARGETS.goodP99Ms },
            note: `${attack.row}; ${f.good.count} round trips, p50 ${f.good.p50.toFixed(2)} ms`,
          }),
          row(B, `${attack.name}: RSS peak over idle`, 'bytes', [f.rss.peak - f.rss.idle], {
            target: { text: '≤ 512 MiB', ok: (v) => v <= TARGETS.peakOverIdleBytes },
          }),
          row(B, `${attack.name}: RSS ${TARGETS.settleMs / 1000} s after the attacker left`, 'bytes', [f.rss.afterLeaving], {
            baseline: { name: 'idle engine', runs: [f.rss.idle] },
            target: { text: `≤ ${TARGETS.afterOverIdle}× idle`, ok: (_v, ratio) => ratio !== undefined && ratio <= TARGETS.afterOverIdle },
            note: `attacker told: ${told}${f.survived ? '' : '; ENGINE DID NOT SURVIVE'}`,
          }),
        );
      } finally {
        await engine.stop();
      }
    }
    return out;
  },
};
