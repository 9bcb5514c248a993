import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { startEngine, type BenchEngine } from '../lib/engine';
import { RawConnection } from '../lib/rawClient';
import { latencyRows, row, type Benchmark, type BenchContext, type Row } from '../lib/report';
import { sleep } from '../lib/stats';

/**
 * 6. Scaling and fairness. Aggregate throughput with 1, 4, 16 and 64
 * connected clients (spread over up to 4 load processes, this machine has
 * few cores), each pushing pre-encoded setText frames at its own visible
 * HUD, the same total per configuration; baseline: the 1-client figure.
 * Fairness: while one client floods, a light client's `sync` round trip
 * every 5 ms, next to the same light client with no flood.
 */
class Loader {
  private readonly waiters: ((m: Record<string, unknown>) => void)[] = [];
  private constructor(readonly proc: ChildProcess) {
    proc.on('message', (m: Record<string, unknown>) => {
      if (m.error) process.stderr.write(`load process error: ${String(m.error)}\n`);
      this.waiters.shift()?.(m);
    });
  }

  static async start(node: string): Promise<Loader> {
    const l = new Loader(fork(path.join(__dirname, '..', 'lib', 'floodProcess.js'), [], { execPath: node, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }));
    await l.next();
    return l;
  }

  next(): Promise<Record<string, unknown>> {
    return new Promise((r) => this.waiters.push(r));
  }

  async ask(m: Record<string, unknown>): Promise<Record<string, unknown>> {
    const reply = this.next();
    this.proc.send(m);
    const got = await reply;
    if (got.error) throw new Error(String(got.error));
    return got;
  }

  async exit(): Promise<void> {
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.send({ cmd: 'exit' });
    await exited;
  }
}

async function aggregate(engine: BenchEngine, ctx: BenchContext, clients: number, total: number): Promise<number> {
  const procs = Math.min(clients, 4);
  const loaders = await Promise.all(Array.from({ length: procs }, () => Loader.start(ctx.launch.node)));
  try {
    const perConn = Math.floor(total / clients);
    await Promise.all(
      loaders.map((l, i) =>
        l.ask({
          cmd: 'setup',
          endpoint: engine.endpoint,
          token: engine.token(),
          conns: Math.floor(clients / procs) + (i < clients % procs ? 1 : 0),
          count: perConn,
        }),
      ),
    );
    const t0 = performance.now();
    await Promise.all(loaders.map((l) => l.ask({ cmd: 'go' })));
    return ((perConn * clients) / (performance.now() - t0)) * 1000;
  } finally {
    await Promise.all(loaders.map((l) => l.exit()));
  }
}

async function lightClient(raw: RawConnection, ms: number): Promise<number[]> {
  const out: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t0 = performance.now();
    await raw.request('sync');
    out.push(performance.now() - t0);
    await sleep(5);
  }
  return out;
}

export const scaling: Benchmark = {
  name: 'scaling',
  title: 'Scaling (1/4/16/64 clients) and fairness',
  async run(ctx: BenchContext): Promise<Row[]> {
    const total = ctx.quick ? 60_000 : 300_000;
    const counts = [1, 4, 16, 64];
    const runs = ctx.quick ? 1 : Math.min(ctx.runs, 3);
    const rates = counts.map(() => [] as number[]);
    const quiet: number[][] = [];
    const flooded: number[][] = [];
    const floodRounds: number[] = [];
    const drainMs: number[] = [];
    const engine = await startEngine(ctx.launch);
    try {
      for (let run = 0; run < runs; run++) {
        for (const [i, n] of counts.entries()) rates[i]!.push(await aggregate(engine, ctx, n, total));
        ctx.log(`  run ${run}: ${counts.map((n, i) => `${n} clients ${(rates[i]!.at(-1)! / 1e6).toFixed(3)} M/s`).join(', ')}`);

        const light = await RawConnection.open(engine.endpoint, engine.token(), 'light');
        const flooder = await Loader.start(ctx.launch.node);
        try {
          await flooder.ask({ cmd: 'setup', endpoint: engine.endpoint, token: engine.token(), conns: 1, count: 20_000 });
          const window = ctx.quick ? 1500 : 3000;
          quiet.push(await lightClient(light, window));
          await flooder.ask({ cmd: 'flood' });
          await sleep(200);
          flooded.push(await lightClient(light, window));
          const stopped = await flooder.ask({ cmd: 'stop' });
          floodRounds.push(((stopped.rounds as number) * 20_000) / ((window + 200) / 1000));
          drainMs.push(stopped.drainMs as number);
          ctx.log(
            `  fairness run ${run}: light client p99 quiet ${pct(quiet.at(-1)!, 99)} ms, under flood ${pct(flooded.at(-1)!, 99)} ms (max ${Math.max(...flooded.at(-1)!).toFixed(1)} ms)`,
          );
        } finally {
          await flooder.exit();
          light.close();
        }
      }
    } finally {
      await engine.stop();
    }
    const B = 'scaling';
    return [
      ...counts.map((n, i) =>
        row(B, `aggregate, ${n} client${n > 1 ? 's' : ''} (${Math.min(n, 4)} process${n > 1 ? 'es' : ''})`, 'cmd/s', rates[i]!, {
          ...(i > 0 ? { baseline: { name: '1 client', runs: rates[0]! } } : { note: `${total} setText per configuration, split evenly` }),
        }),
      ),
      ...latencyRows('fairness', 'light client sync RTT while another floods', flooded, {
        baseline: { name: 'no flood', perRun: quiet },
        p99Target: 16,
      }),
      row('fairness', 'flooder rate meanwhile (approx., sent)', 'cmd/s', floodRounds),
      row('fairness', "flooder's sync after it stops (its backlog)", 'ms', drainMs, {
        note: 'small: the queue is not in the engine but in the per-turn read burst',
      }),
    ];
  },
};

function pct(v: number[], p: number): string {
  const s = [...v].sort((a, b) => a - b);
  return (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN).toFixed(2);
}
