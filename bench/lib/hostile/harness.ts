import { fork, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LIMITS, connectionFilePath } from '../../../protocol';
import { connect } from '../../../client';
import { rssBytes } from '../proc';
import { percentile, sleep } from '../stats';
import type { AttackReport } from './attacks';
import type { GoodClientWindow } from './goodClientProcess';

/** The engine under attack: a process of its own. */
export interface EngineUnderAttack {
  pid: number;
  endpoint: string;
  stateDir: string;
  alive(): boolean;
}

/** Every figure one attack is judged by. */
export interface AttackFigures {
  attack: string;
  report: AttackReport;
  /** The good client's `createHud` round trips while the attacker ran. */
  good: { count: number; p50: number; p99: number; max: number; failures: string[] };
  rss: { idle: number; peak: number; afterLeaving: number };
  /** ms from the attacker's start to its exit. */
  attackMs: number;
  /** After the attack: the engine still runs and a new client gets a surface. */
  survived: boolean;
}

/** The targets each attack is held to. */
export const TARGETS = {
  goodP99Ms: 50,
  peakOverIdleBytes: 512 * 2 ** 20,
  afterOverIdle: 1.15,
  settleMs: 5_000,
} as const;

const SAMPLE_MS = 100;
const WARMUP_MS = 1_000;

/** The compiled attacker and good-client scripts, under the project's compiled tree (dist/). */
function scripts(distDir: string): { attacker: string; good: string } {
  const dir = path.join(distDir, 'bench', 'lib', 'hostile');
  return { attacker: path.join(dir, 'attackerProcess.js'), good: path.join(dir, 'goodClientProcess.js') };
}

function rssOf(pid: number): number {
  return rssBytes(pid) ?? Number.NaN;
}

/**
 * Run one attack as its own process beside a well-behaved client process,
 * sampling the engine's RSS throughout, then wait for the engine to settle
 * after the attacker has left.
 */
export async function runAttack(engine: EngineUnderAttack, attack: string, distDir: string, durationMs: number): Promise<AttackFigures> {
  const { attacker, good } = scripts(distDir);
  const { token } = JSON.parse(fs.readFileSync(connectionFilePath(engine.endpoint, { stateDir: engine.stateDir }), 'utf8')) as { token: string };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-hostile-'));
  const goodClient = fork(good, [engine.endpoint, engine.stateDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const windowOf = () =>
    new Promise<GoodClientWindow>((resolve) => {
      goodClient.once('message', (m) => resolve(m as GoodClientWindow));
      goodClient.send({ cmd: 'window' });
    });
  try {
    await new Promise<void>((resolve, reject) => {
      goodClient.once('message', () => resolve());
      goodClient.once('exit', (code) => reject(new Error(`good client exited (${code}) before it was ready`)));
    });
    await sleep(WARMUP_MS);
    await windowOf();
    const idle = rssOf(engine.pid);

    const started = Date.now();
    const proc = spawn(process.execPath, [attacker, attack, engine.endpoint, token, scratch, String(durationMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    let peak = idle;
    let running = true;
    void exited.then(() => (running = false));
    while (running) {
      if (engine.alive()) peak = Math.max(peak, rssOf(engine.pid));
      await Promise.race([exited, sleep(SAMPLE_MS)]);
    }
    const attackMs = Date.now() - started;
    const during = await windowOf();
    const code = await exited;
    if (code !== 0) throw new Error(`attacker "${attack}" failed (${code}):\n${err}`);
    const report = JSON.parse(out) as AttackReport;

    await sleep(TARGETS.settleMs);
    const afterLeaving = engine.alive() ? rssOf(engine.pid) : Number.NaN;
    const survived = engine.alive() && (await newClientGetsASurface(engine));
    const trips = during.roundTripsMs;
    return {
      attack,
      report,
      good: {
        count: trips.length,
        p50: percentile(trips, 50),
        p99: percentile(trips, 99),
        max: percentile(trips, 100),
        failures: during.failures,
      },
      rss: { idle, peak, afterLeaving },
      attackMs,
      survived,
    };
  } finally {
    goodClient.kill();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function newClientGetsASurface(engine: EngineUnderAttack): Promise<boolean> {
  try {
    const pp = await connect({ endpoint: engine.endpoint, stateDir: engine.stateDir, name: 'after-attack' });
    try {
      const hud = await pp.createHud({ width: 50, height: 50 });
      return typeof hud.id === 'string';
    } finally {
      pp.close();
    }
  } catch {
    return false;
  }
}

/** Every way an attack's figures miss their targets, in words; empty when it is held. */
export function misses(f: AttackFigures): string[] {
  const out: string[] = [];
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  if (!f.survived) out.push('the engine did not survive, or a new client got no surface');
  if (f.good.failures.length) out.push(`the good client's requests failed: ${f.good.failures.slice(0, 3).join('; ')}`);
  if (!(f.good.p99 <= TARGETS.goodP99Ms)) out.push(`good client p99 ${f.good.p99.toFixed(1)} ms > ${TARGETS.goodP99Ms} ms (${f.good.count} round trips)`);
  if (f.rss.peak > f.rss.idle + TARGETS.peakOverIdleBytes) out.push(`RSS peak ${mib(f.rss.peak)} > idle ${mib(f.rss.idle)} + 512 MiB`);
  if (!(f.rss.afterLeaving <= f.rss.idle * TARGETS.afterOverIdle))
    out.push(`RSS ${TARGETS.settleMs / 1000} s after leaving ${mib(f.rss.afterLeaving)} > 1.15 × idle ${mib(f.rss.idle)}`);
  if (f.report.errors.length === 0 && !f.report.disconnected) out.push('the attacker got no error and was not disconnected');
  if (f.report.longestErrorBytes > LIMITS.maxErrorMessageBytes)
    out.push(`an error message of ${f.report.longestErrorBytes} bytes (limit ${LIMITS.maxErrorMessageBytes})`);
  for (const finding of f.report.findings) out.push(`the attacker obtained: ${finding}`);
  return out;
}
