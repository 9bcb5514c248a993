import { withEngine } from '../lib/engine';
import { cpuSample, procAvailable } from '../lib/proc';
import { row, type Benchmark, type BenchContext, type Row } from '../lib/report';
import { sleep } from '../lib/stats';

const SIZES = [
  [640, 360],
  [1280, 720],
] as const;

/**
 * Live pips: what one captured frame costs the engine (all its threads, from
 * /proc) while a visible pip copies a virtual window of the same size at the
 * default 30 fps, and, as the baseline, the same pip hidden (no capture: the
 * engine sleeps). Headless only: its foreign windows are the test hook's.
 */
export const pipCapture: Benchmark = {
  name: 'pipCapture',
  title: 'Live pip: CPU per captured frame',
  async run(ctx: BenchContext): Promise<Row[]> {
    if (ctx.launch.backend !== 'headless') return [row('pipCapture', 'CPU per captured frame', 'ms', [], { note: 'headless only (virtual source windows)' })];
    const windowMs = ctx.quick ? 2_000 : 5_000;
    const rows: Row[] = [];
    await withEngine(
      ctx.launch,
      async (engine) => {
        if (!procAvailable(engine.pid)) return;
        const client = await engine.connect('pip bench');
        for (const [width, height] of SIZES) {
          const { window } = await client.request('testCreateWindow', { x: 0, y: 0, width, height });
          const pip = await client.createPip({ sourceWindow: window, width, height, placement: { x: 0, y: 0 } });
          const perFrame: number[] = [];
          const fps: number[] = [];
          const hiddenCpu: number[] = [];
          for (let run = 0; run < ctx.runs; run++) {
            pip.show();
            await client.sync();
            await sleep(300);
            const frames0 = (await client.status()).stats.framesPresented;
            const a = cpuSample(engine.pid)!;
            await sleep(windowMs);
            const b = cpuSample(engine.pid)!;
            const frames = (await client.status()).stats.framesPresented - frames0 - 1; // the status reply's own cycle renders nothing
            perFrame.push((b.schedMs - a.schedMs) / Math.max(1, frames));
            fps.push((frames * 1000) / (b.at - a.at));
            pip.hide();
            await client.sync();
            await sleep(300);
            const c = cpuSample(engine.pid)!;
            await sleep(windowMs);
            const d = cpuSample(engine.pid)!;
            hiddenCpu.push(((d.schedMs - c.schedMs) / (d.at - c.at)) * 100);
            ctx.log(
              `  ${width}×${height}: ${perFrame.at(-1)!.toFixed(2)} ms CPU per frame at ${fps.at(-1)!.toFixed(1)} fps; hidden: ${hiddenCpu.at(-1)!.toFixed(3)} % CPU`,
            );
          }
          const B = `pip capture ${width}×${height}`;
          rows.push(
            row(B, 'engine CPU per captured frame (all threads)', 'ms', perFrame),
            row(B, 'captured frames per second (default rate 30)', '/s', fps, { target: { text: '≥ 27', ok: (v) => v >= 27 } }),
            row(B, 'engine CPU with the pip hidden', '%', hiddenCpu, { target: { text: '≤ 0.1 % (no capture while hidden)', ok: (v) => v <= 0.1 } }),
          );
          pip.destroy();
          client.command('testCloseWindow', { window });
          await client.sync();
        }
        await client.close();
      },
      ['--test-input'],
    );
    return rows;
  },
};
