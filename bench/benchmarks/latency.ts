import { startEngine } from '../lib/engine';
import { RawConnection } from '../lib/rawClient';
import { latencyRows, row, type Benchmark, type BenchContext, type Row } from '../lib/report';
import { sleep } from '../lib/stats';

/**
 * 3. Update-to-present latency at 1,000 updates/s.
 *
 * Method: each update is a setText on a visible HUD followed in the same
 * write by a `sync`. The engine thread answers a sync only after the cycle
 * that applied it has rendered and presented every changed surface (drain
 * → present → post replies), so send-to-sync-reply is an upper bound of
 * send-to-present (it adds the reply's way back). The baseline is the same
 * loop with `sync` alone (no render); their gap is the render + present cost.
 */
export const latency: Benchmark = {
  name: 'latency',
  title: 'Update-to-present latency at 1,000 updates/s',
  async run(ctx: BenchContext): Promise<Row[]> {
    const seconds = ctx.quick ? 1 : 4;
    const engine = await startEngine(ctx.launch);
    try {
      const raw = await RawConnection.open(engine.endpoint, engine.token());
      const id = await raw.visibleHud(10, 10, { cornerRadius: 6 });
      const updates: number[][] = [];
      const syncs: number[][] = [];
      const rates: number[] = [];
      const framesPerUpdate: number[] = [];
      for (let run = -1; run < ctx.runs; run++) {
        // Run -1 is a short warm-up.
        const secs = run < 0 ? 0.3 : seconds;
        const base = await paced(raw, secs / 2, null);
        const before = (await raw.request('status')) as { stats: { framesPresented: number } };
        const upd = await paced(raw, secs, id);
        const after = (await raw.request('status')) as { stats: { framesPresented: number } };
        if (run < 0) continue;
        syncs.push(base.samples);
        updates.push(upd.samples);
        rates.push(upd.rate);
        framesPerUpdate.push((after.stats.framesPresented - before.stats.framesPresented) / upd.samples.length);
      }
      raw.close();
      const B = 'update→present';
      return [
        ...latencyRows(B, 'setText→presented (sync reply, upper bound)', updates, {
          baseline: { name: 'sync alone', perRun: syncs },
          p50Target: 2,
          p99Target: 16,
          note: `${seconds} s at 1,000 updates/s per run`,
        }),
        row(B, 'achieved update rate', 'upd/s', rates),
        row(B, 'frames presented per update', 'frames', framesPerUpdate),
      ];
    } finally {
      await engine.stop();
    }
  },
};

/** Send at 1,000/s for `seconds` (catching up after late timers); each update's latency to its sync reply. */
async function paced(raw: RawConnection, seconds: number, surface: string | null): Promise<{ samples: number[]; rate: number }> {
  const samples: number[] = [];
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  const total = Math.round(seconds * 1000);
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(performance.now() - start) + 1);
    for (; sent < due; sent++) {
      const t0 = performance.now();
      if (surface) raw.send('setText', { surface, key: 'v', text: `update ${sent}`, x: 8, y: 8, fontSize: 16, color: '#ffffff' });
      inflight.push(raw.request('sync').then(() => void samples.push(performance.now() - t0)));
    }
    await sleep(1);
  }
  await Promise.all(inflight);
  return { samples, rate: (total / (performance.now() - start)) * 1000 };
}
