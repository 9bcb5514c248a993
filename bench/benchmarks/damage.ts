import { startEngine, type BenchEngine } from '../lib/engine';
import { engineThreadsCpu, threadCpuMs } from '../lib/proc';
import { RawConnection } from '../lib/rawClient';
import { latencyRows, row, type Benchmark, type BenchContext, type Row } from '../lib/report';
import { percentile, sleep } from '../lib/stats';

const SIZES = [
  { width: 300, height: 100 },
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
] as const;

/** Full frames for the baseline: a background change that covers the whole surface, which damage tracking cannot avoid. */
type Mode = 'damage' | 'full';

/**
 * Frames that cost what changed. On each surface size, a 10-character
 * setText (+ sync, whose reply follows the presented frame) is timed
 * alone (a patch) and with the surface's background changed too (a whole
 * frame: the baseline, in the same run); then a 200×200 region is animated
 * at 60 fps, and the engine's CPU per frame is measured both ways.
 */
export const damage: Benchmark = {
  name: 'damage',
  title: 'Damage tracking: update→present and CPU per frame by surface size',
  async run(ctx: BenchContext): Promise<Row[]> {
    const rows: Row[] = [];
    const engine = await startEngine(ctx.launch, ctx.launch.backend === 'headless' ? ['--monitors', '3840x2160@96'] : []);
    try {
      const raw = await RawConnection.open(engine.endpoint, engine.token());
      const measured = [];
      for (const size of SIZES) {
        const id = await surface(raw, size.width, size.height);
        const patch: number[][] = [];
        const whole: number[][] = [];
        const cpuPatch: number[] = [];
        const cpuWhole: number[] = [];
        for (let run = -1; run < ctx.runs; run++) {
          // Run -1 warms up.
          const updates = ctx.quick ? 20 : 50;
          const p = await textChanges(raw, id, updates, 'damage');
          const w = await textChanges(raw, id, updates, 'full');
          const seconds = ctx.quick ? 1 : 2;
          const cp = await animate(engine, raw, id, seconds, 'damage');
          const cw = await animate(engine, raw, id, seconds, 'full');
          if (run < 0) continue;
          patch.push(p);
          whole.push(w);
          cpuPatch.push(cp);
          cpuWhole.push(cw);
        }
        raw.send('destroy', { surface: id });
        measured.push({ label: `${size.width}×${size.height}`, patch, whole, cpuPatch, cpuWhole });
      }
      const [small, , large] = measured;
      for (const m of measured) {
        const isLarge = m === large;
        rows.push(
          ...latencyRows('damage', `${m.label}: 10-character setText→presented`, m.patch, {
            baseline: { name: 'full frame', perRun: m.whole },
            ...(isLarge ? { p50Target: 2 } : {}),
          }),
          row('damage', `${m.label}: engine CPU per frame, 200×200 region at 60 fps`, 'ms', m.cpuPatch, {
            baseline: { name: 'full frame', runs: m.cpuWhole },
            ...(m.label === '1920×1080' ? { target: { text: '≤ 10 % of a core (1.67 ms)', ok: (v: number) => v * 60 <= 100 } } : {}),
          }),
        );
      }
      // The same change on the largest surface against the smallest, run by run.
      rows.push(
        row(
          'damage',
          '3840×2160 against 300×100: setText→presented p50',
          'ms',
          large!.patch.map((s) => percentile(s, 50)),
          {
            baseline: { name: '300×100 p50', runs: small!.patch.map((s) => percentile(s, 50)) },
            target: { text: 'within 3×', ok: (_v, ratio) => ratio !== undefined && ratio <= 3 },
          },
        ),
        row('damage', '3840×2160 against 300×100: CPU per frame, 200×200 region', 'ms', large!.cpuPatch, {
          baseline: { name: '300×100', runs: small!.cpuPatch },
          target: { text: 'within 3×', ok: (_v, ratio) => ratio !== undefined && ratio <= 3 },
        }),
      );
      raw.close();
    } finally {
      await engine.stop();
    }
    return rows;
  },
};

async function surface(raw: RawConnection, width: number, height: number): Promise<string> {
  const { id } = (await raw.request('createHud', { width, height, placement: { x: 0, y: 0 } })) as { id: string };
  raw.send('setRect', { surface: id, key: 'bg', x: 0, y: 0, width, height, fill: '#202030' });
  raw.send('setText', { surface: id, key: 'label', text: 'panepipe 0', x: 12, y: 12, fontSize: 16, color: '#ffffff' });
  raw.send('show', { surface: id });
  await raw.request('sync');
  return id;
}

/** Each change's setText→sync-reply time, one at a time. */
async function textChanges(raw: RawConnection, id: string, count: number, mode: Mode): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    if (mode === 'full') raw.send('setRect', { surface: id, key: 'bg', x: 0, y: 0, width: 3840, height: 2160, fill: i % 2 ? '#202030' : '#203020' });
    raw.send('setText', { surface: id, key: 'label', text: `panepipe ${i % 10}`, x: 12, y: 12, fontSize: 16, color: '#ffffff' });
    await raw.request('sync');
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** Engine CPU ms per frame while a 200×200 region changes 60 times a second. */
async function animate(engine: BenchEngine, raw: RawConnection, id: string, seconds: number, mode: Mode): Promise<number> {
  const frames = Math.round(seconds * 60);
  const before = threadCpuMs(engine.pid);
  const start = performance.now();
  for (let i = 0; i < frames; i++) {
    if (mode === 'full') raw.send('setRect', { surface: id, key: 'bg', x: 0, y: 0, width: 3840, height: 2160, fill: i % 2 ? '#202030' : '#203020' });
    raw.send('setRect', {
      surface: id,
      key: 'box',
      x: 40 + (i % 20),
      y: 40,
      width: 180,
      height: 200,
      fill: `#${((i * 37) % 256).toString(16).padStart(2, '0')}8040`,
    });
    await raw.request('sync');
    const due = start + ((i + 1) * 1000) / 60;
    if (due > performance.now()) await sleep(due - performance.now());
  }
  const spent = engineThreadsCpu(engine.pid, before, threadCpuMs(engine.pid));
  return spent ? (spent.main + spent.engine) / frames : NaN;
}
