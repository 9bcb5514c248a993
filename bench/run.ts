/**
 * panepipe benchmark suite: `npm run bench -- [options] [names]`.
 *
 *   names                 run only these benchmarks (as --only); `soak` runs only when named
 *   --quick               fewer runs and smaller workloads (under a minute)
 *   --runs N              measured runs per figure (default 5, quick 3)
 *   --only a,b            run only these benchmarks (names below)
 *   --backend B           headless (default) or win32 (run the suite itself under Wine/Windows)
 *   --engine-node PATH    node executable for engine processes (default: this one)
 *   --out FILE            JSON output (default bench/results/latest.json)
 *   --profile             also profile the engine (node --cpu-prof) during the throughput load
 *   --soak-seconds N      measured window of each soak workload (default 600, quick 45)
 *   --soak-workloads a,b  only these soak workloads (clock, fullscreen, churn, input)
 */
// First, as in the engine: the in-process stages decode strings the way the engine does.
import '../cli/msgpackStrings';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCHMARKS } from './benchmarks';
import { profileEngine } from './profile';
import { formatMarkdown, formatTable, type BenchContext, type Row } from './lib/report';
import type { Backend } from './lib/engine';

const ROOT = path.resolve(__dirname, '..', '..');

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean' },
      runs: { type: 'string' },
      only: { type: 'string' },
      backend: { type: 'string' },
      'engine-node': { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'boolean' },
      'soak-seconds': { type: 'string' },
      'soak-workloads': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      `Usage: npm run bench -- [--quick] [--runs N] [--only ${BENCHMARKS.map((b) => b.name).join(',')}] [--backend headless|win32] [--engine-node PATH] [--out FILE] [--profile] [--soak-seconds N] [--soak-workloads a,b] [names…]\n`,
    );
    return 0;
  }
  const backend = (values.backend ?? 'headless') as Backend;
  if (backend !== 'headless' && backend !== 'win32') throw new Error(`--backend: expected headless or win32, got ${backend}`);
  const quick = values.quick ?? false;
  const runs = values.runs ? Number(values.runs) : quick ? 3 : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs: expected a positive integer');
  const names = [...(values.only?.split(',') ?? []), ...positionals];
  const only = names.length ? new Set(names) : null;
  const selected = BENCHMARKS.filter((b) => (only ? only.has(b.name) : !b.onRequest));
  const soakSeconds = values['soak-seconds'] ? Number(values['soak-seconds']) : quick ? 45 : 600;
  if (!(soakSeconds > 0)) throw new Error('--soak-seconds: expected a positive number');
  if (only) for (const n of only) if (!BENCHMARKS.some((b) => b.name === n) && n !== 'profile') throw new Error(`unknown benchmark ${n}`);
  const out = values.out ?? path.join(ROOT, 'bench', 'results', 'latest.json');
  const profileDir = values.profile ? path.join(path.dirname(out), 'profiles') : null;
  const ctx: BenchContext = {
    quick,
    runs,
    launch: { backend, node: values['engine-node'] ?? process.execPath },
    profileDir,
    soakSeconds,
    soakWorkloads: values['soak-workloads']?.split(',') ?? null,
    log: (m) => process.stderr.write(`${m}\n`),
  };

  const started = Date.now();
  const rows: Row[] = [];
  const failures: { bench: string; error: string }[] = [];
  for (const b of selected) {
    ctx.log(`== ${b.title} (${runs} runs${quick ? ', quick' : ''})`);
    const t0 = Date.now();
    try {
      const got = await b.run(ctx);
      rows.push(...got);
      ctx.log(formatTable(got));
    } catch (err) {
      failures.push({ bench: b.name, error: (err as Error).stack ?? String(err) });
      ctx.log(`!! ${b.name} failed: ${(err as Error).stack ?? err}`);
    }
    ctx.log(`   (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  let profile: unknown = null;
  if (profileDir && (!only || only.has('profile') || only.has('throughput'))) {
    ctx.log('== Profile: engine under the throughput load (node --cpu-prof)');
    profile = await profileEngine(ctx, profileDir);
  }

  process.stdout.write(
    `\npanepipe benchmarks — backend ${backend}, ${runs} runs each${quick ? ' (quick)' : ''}, node ${process.version}, ${os.cpus().length} cpus, load avg ${os.loadavg()[0]!.toFixed(2)}\n\n`,
  );
  process.stdout.write(`${formatTable(rows)}\n`);
  if (failures.length) process.stdout.write(`\nfailed: ${failures.map((f) => f.bench).join(', ')}\n`);
  const result = {
    when: new Date().toISOString(),
    command: `node dist/bench/run.js ${process.argv.slice(2).join(' ')}`.trim(),
    backend,
    quick,
    runs,
    node: process.version,
    platform: `${process.platform} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadAvgAtEnd: os.loadavg(),
    durationS: (Date.now() - started) / 1000,
    rows,
    failures,
    profile,
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  fs.writeFileSync(`${out.replace(/\.json$/, '')}.md`, `${formatMarkdown(rows)}\n`);
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), out) || out} in ${result.durationS.toFixed(0)} s\n`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`bench: ${err.stack ?? err.message}\n`);
    process.exit(2);
  },
);
