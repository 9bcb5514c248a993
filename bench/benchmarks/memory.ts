import { spawn } from 'node:child_process';
import { startEngine } from '../lib/engine';
import { procAvailable, rssBytes } from '../lib/proc';
import { RawConnection } from '../lib/rawClient';
import { row, type Benchmark, type BenchContext, type Row } from '../lib/report';
import { sleep } from '../lib/stats';

/**
 * 5. Memory: engine RSS idle, then with 100 and 1,000 small surfaces
 * (10×10 HUDs, hidden; and visible ones with a rect, which hold a presented
 * frame), then 100 visible 300×100 ones on top. Steps are cumulative on one
 * engine per series (fresh engines per run); the cost per surface is the
 * RSS step divided by the surfaces added. Baseline: a bare idle node process.
 */
interface Step {
  name: string;
  /** Surfaces to add in this step. */
  add: number;
  width: number;
  height: number;
  visible: boolean;
}

const SERIES: Step[][] = [
  [
    { name: 'idle engine, no surfaces', add: 0, width: 10, height: 10, visible: false },
    { name: '100 hidden 10×10 HUDs', add: 100, width: 10, height: 10, visible: false },
    { name: '1,000 hidden 10×10 HUDs', add: 900, width: 10, height: 10, visible: false },
  ],
  [
    { name: 'idle engine (2nd series)', add: 0, width: 10, height: 10, visible: false },
    { name: '100 visible 10×10 HUDs + rect', add: 100, width: 10, height: 10, visible: true },
    { name: '1,000 visible 10×10 HUDs + rect', add: 900, width: 10, height: 10, visible: true },
    { name: '+100 visible 300×100 HUDs + rect', add: 100, width: 300, height: 100, visible: true },
  ],
];

export const memory: Benchmark = {
  name: 'memory',
  title: 'Memory: RSS with 0 / 100 / 1,000 surfaces',
  async run(ctx: BenchContext): Promise<Row[]> {
    const runs = ctx.quick ? 2 : ctx.runs;
    const settle = ctx.quick ? 400 : 1000;
    const rss = SERIES.map((s) => s.map(() => [] as number[]));
    const bareRss: number[] = [];
    for (let run = 0; run < runs; run++) {
      const bare = spawn(ctx.launch.node, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
      await sleep(300);
      bareRss.push(rssBytes(bare.pid!) ?? Number.NaN);
      bare.kill('SIGTERM');
      for (const [si, series] of SERIES.entries()) {
        const engine = await startEngine(ctx.launch);
        try {
          if (!procAvailable(engine.pid)) return [row('memory', 'RSS', 'bytes', [], { note: 'no /proc on this system' })];
          // maxSurfacesPerSession is 1024: a new connection per 900 surfaces.
          const conns: RawConnection[] = [];
          for (const [pi, step] of series.entries()) {
            if (step.add > 0) {
              const raw = await RawConnection.open(engine.endpoint, engine.token());
              conns.push(raw);
              const created = await Promise.all(
                Array.from({ length: step.add }, (_, i) =>
                  raw.request('createHud', { width: step.width, height: step.height, placement: { x: (i % 100) * 12, y: Math.floor(i / 100) * 12 } }),
                ),
              );
              if (step.visible) {
                for (const r of created) {
                  raw.send('setRect', { surface: r.id, key: 'bg', x: 0, y: 0, width: step.width, height: step.height, fill: '#3a6ea5' });
                  raw.send('show', { surface: r.id });
                }
              }
              await raw.request('sync');
            }
            await sleep(settle);
            rss[si]![pi]!.push(rssBytes(engine.pid) ?? Number.NaN);
          }
          for (const c of conns) c.close();
        } finally {
          await engine.stop();
        }
      }
      ctx.log(
        `  run ${run}: ${SERIES.flatMap((s, si) => s.map((st, pi) => `${st.name} ${((rss[si]![pi]!.at(-1) ?? 0) / 2 ** 20).toFixed(1)} MiB`)).join('; ')}`,
      );
    }
    const B = 'memory';
    const out: Row[] = [];
    for (const [si, series] of SERIES.entries()) {
      const idleRuns = rss[si]![0]!;
      if (si === 0) out.push(row(B, 'engine RSS, idle, no surfaces', 'bytes', idleRuns, { baseline: { name: 'bare node', runs: bareRss } }));
      let total = 0;
      for (const [pi, step] of series.entries()) {
        if (pi === 0) continue;
        total += step.add;
        out.push(row(B, `RSS, ${step.name}`, 'bytes', rss[si]![pi]!, { baseline: { name: 'idle engine', runs: idleRuns } }));
        const prev = rss[si]![pi - 1]!;
        const per = rss[si]![pi]!.map((v, i) => (v - prev[i]!) / step.add);
        out.push(row(B, `  per surface, step of ${step.add} (${step.width}×${step.height}${step.visible ? ', visible' : ''})`, 'bytes', per));
      }
      void total;
    }
    return out;
  },
};
