import { createCanvas } from '@napi-rs/canvas';
import type { Client } from '../../client';
import { startEngine, type BenchEngine } from '../lib/engine';
import { procAvailable, rssBytes } from '../lib/proc';
import { RawConnection } from '../lib/rawClient';
import { row, type Benchmark, type BenchContext, type Row } from '../lib/report';
import { sleep } from '../lib/stats';

/**
 * Soak: engine memory over time under steady work of every kind. Each
 * workload runs on a fresh engine for a warm-up and then a measured window
 * (--soak-seconds, default 600; --quick 45), RSS sampled once a second.
 * Reported: RSS idle (before), during (median of the window), after (every
 * client gone, once the engine has settled), and the slope of the window in
 * MiB per hour. The slope is fitted to the lowest sample of each tenth of
 * the window (at most 30 s; the floor after collections): a leak raises the
 * floor, while the sawtooth of garbage collected on schedule does not.
 * Runs only when named: `npm run bench -- soak` (`--soak-workloads clock,churn`
 * for some of them).
 */
const SAMPLE_MS = 1000;
const MAX_FLOOR_STRETCH_MS = 30_000;

/** The stretch whose lowest sample is one floor: a tenth of the window, at most 30 s. */
function floorStretchMs(measureMs: number): number {
  return Math.min(MAX_FLOOR_STRETCH_MS, measureMs / 10);
}
/** After the last client leaves: long enough for the allocator and V8's idle tidy to return memory. */
const SETTLE_AFTER_MS = 10_000;
const MIB = 2 ** 20;

interface Workload {
  name: string;
  title: string;
  /** Engine flags it needs (test input). */
  engineArgs?: string[];
  /** Headless only (it injects input through the virtual desktop). */
  headlessOnly?: boolean;
  /** Work until `until` (performance.now()); resolves with the units of work done, every client of its own closed. */
  run(engine: BenchEngine, until: number): Promise<{ units: number; unit: string }>;
}

/** A solid PNG with a mark in it, `side` pixels square: distinct bytes per `seed`. */
function png(side: number, seed: number): Buffer {
  const canvas = createCanvas(side, side);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = `hsl(${(seed * 47) % 360}, 70%, 50%)`;
  ctx.fillRect(0, 0, side, side);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(seed % side, 0, 1, side);
  return canvas.encodeSync('png');
}

/** Calls `frame(i)` at `fps` until `until`, drift-free; each frame is awaited. */
async function paced(fps: number, until: number, frame: (i: number) => Promise<void>): Promise<number> {
  const start = performance.now();
  let i = 0;
  while (performance.now() < until) {
    await frame(i++);
    const wait = start + (i * 1000) / fps - performance.now();
    if (wait > 0) await sleep(wait);
  }
  return i;
}

const WORKLOADS: Workload[] = [
  {
    name: 'clock',
    title: '60 fps clock HUD (400×100)',
    async run(engine, until) {
      const c = await engine.connect('soak-clock');
      const hud = await c.createHud({ width: 400, height: 100, placement: { x: 40, y: 40 } });
      hud.setRect('bg', { x: 0, y: 0, width: 400, height: 100, fill: '#202020', cornerRadius: 8 });
      hud.show();
      const frames = await paced(60, until, async () => {
        hud.setText('time', { text: new Date().toISOString().slice(11, 23), x: 16, y: 30, fontSize: 32, color: '#ffffff' });
        await c.sync();
      });
      await c.close();
      return { units: frames, unit: 'frames' };
    },
  },
  {
    name: 'fullscreen',
    title: '1920×1080 overlay at 30 fps (text every frame, an image every 15th, resize every 60th, fades)',
    async run(engine, until) {
      const c = await engine.connect('soak-fullscreen');
      const hud = await c.createHud({ width: 1920, height: 1080, placement: { x: 0, y: 0 } });
      const images = [png(256, 1), png(256, 2)];
      hud.setRect('dim', { x: 0, y: 0, width: 1920, height: 1080, fill: '#00000040' });
      hud.show();
      const frames = await paced(30, until, async (i) => {
        hud.setText('caption', { text: `frame ${i}`, x: 100 + (i % 200), y: 900, fontSize: 48, color: '#ffffff' });
        if (i % 15 === 0) hud.setImage('logo', { data: images[(i / 15) % 2]!, x: 1600, y: 40, width: 256, height: 256 });
        if (i % 60 === 30) hud.setSize(1600, 900);
        if (i % 60 === 0) hud.setSize(1920, 1080);
        if (i % 90 === 45) hud.fadeOut(150);
        if (i % 90 === 60) hud.fadeIn(150);
        await c.sync();
      });
      await c.close();
      return { units: frames, unit: 'frames' };
    },
  },
  {
    name: 'churn',
    title: '50 clients connect, create 5 surfaces each with images, and leave, in a loop',
    async run(engine, until) {
      const images = Array.from({ length: 10 }, (_, i) => png(64, i));
      let rounds = 0;
      while (performance.now() < until) {
        await Promise.all(
          Array.from({ length: 50 }, async (_, k) => {
            const c = await engine.connect(`soak-churn-${k}`);
            for (let s = 0; s < 5; s++) {
              const hud = await c.createHud({ width: 160, height: 90, placement: { x: (k % 10) * 170, y: Math.floor(k / 10) * 100 + s * 4 } });
              hud.setImage('icon', { data: images[(k + s + rounds) % images.length]!, x: 8, y: 8, width: 64, height: 64 });
              hud.setText('label', { text: `client ${k} surface ${s}`, x: 80, y: 20, fontSize: 12, color: '#ffffff' });
              hud.show();
            }
            await c.sync();
            await c.close();
          }),
        );
        rounds++;
      }
      return { units: rounds * 50, unit: 'clients' };
    },
  },
  {
    name: 'input',
    title: 'panel receiving injected pointer input at 200 events/s',
    engineArgs: ['--test-input'],
    headlessOnly: true,
    async run(engine, until) {
      const c = await engine.connect('soak-input');
      const panel = await c.createPanel({ width: 400, height: 300, placement: { x: 100, y: 100 } });
      panel.setRect('bg', { x: 0, y: 0, width: 400, height: 300, fill: '#303040' });
      for (let b = 0; b < 4; b++) panel.setRect(`button${b}`, { x: 20 + b * 95, y: 200, width: 80, height: 40, fill: '#5070a0', interactive: true });
      panel.show();
      await c.sync();
      const injector = await RawConnection.open(engine.endpoint, engine.token(), 'soak-input-injector');
      let received = 0;
      const drain = (): void => {
        while (c.pollEvent()) received++;
      };
      // 20 events per 100 ms: moves across the panel, every 10th a click on a button.
      const ticks = await paced(10, until, async (t) => {
        for (let e = 0; e < 20; e++) {
          const n = t * 20 + e;
          if (n % 10 === 0) injector.send('testPointer', { action: 'click', x: 160 + (n % 4) * 95, y: 320 });
          else injector.send('testPointer', { action: 'move', x: 110 + (n % 380), y: 110 + (n % 280) });
        }
        await injector.request('sync');
        drain();
      });
      await c.sync();
      drain();
      injector.close();
      await c.close();
      if (received === 0) throw new Error('the panel received no input events');
      return { units: ticks * 20, unit: 'pointer events' };
    },
  },
];

/** The engine's resident memory: from /proc where there is one, else as the engine reports it (Windows, Wine). */
async function engineRss(engine: BenchEngine): Promise<number> {
  if (procAvailable(engine.pid)) return rssBytes(engine.pid) ?? Number.NaN;
  let c: Client | null = null;
  try {
    c = await engine.connect('soak-sampler');
    return (await c.status()).rssBytes;
  } finally {
    await c?.close();
  }
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

/** Lowest sample of each `stretchMs`, as (hours, MiB). */
function floors(samples: { at: number; rss: number }[], stretchMs: number): { x: number; y: number }[] {
  const byWindow = new Map<number, { at: number; rss: number }>();
  for (const s of samples) {
    const w = Math.floor(s.at / stretchMs);
    const low = byWindow.get(w);
    if (!low || s.rss < low.rss) byWindow.set(w, s);
  }
  return [...byWindow.values()].map((s) => ({ x: s.at / 3_600_000, y: s.rss / MIB }));
}

interface SoakResult {
  idle: number;
  during: number;
  peak: number;
  after: number;
  slopeMiBPerHour: number;
  /** The floor of each stretch, MiB, in order. */
  floors: number[];
  units: number;
  unit: string;
}

async function soakOne(ctx: BenchContext, workload: Workload, warmupMs: number, measureMs: number): Promise<SoakResult> {
  const engine = await startEngine(ctx.launch, workload.engineArgs ?? []);
  try {
    await sleep(2000);
    const idle = await engineRss(engine);
    const t0 = performance.now();
    const samples: { at: number; rss: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await sleep(SAMPLE_MS);
        const at = performance.now() - t0;
        if (sampling) samples.push({ at, rss: await engineRss(engine) });
      }
    })();
    const done = await workload.run(engine, t0 + warmupMs + measureMs);
    sampling = false;
    await sampler;
    await sleep(SETTLE_AFTER_MS);
    const after = await engineRss(engine);
    const measured = samples.filter((s) => s.at >= warmupMs);
    const sorted = measured.map((s) => s.rss).sort((a, b) => a - b);
    const floor = floors(measured, floorStretchMs(measureMs));
    return {
      idle,
      during: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
      peak: sorted.at(-1) ?? Number.NaN,
      after,
      floors: floor.map((f) => f.y),
      slopeMiBPerHour: slope(floor),
      ...done,
    };
  } catch (err) {
    throw new Error(`${(err as Error).message}\nengine output:\n${engine.output()}`);
  } finally {
    await engine.stop();
  }
}

export const soak: Benchmark = {
  name: 'soak',
  title: 'Soak: engine memory over time under steady work',
  onRequest: true,
  async run(ctx: BenchContext): Promise<Row[]> {
    const measureMs = ctx.soakSeconds * 1000;
    // Warm-up: a fifth of the window, at least 10 s and at most 2 min.
    const warmupMs = Math.min(120_000, Math.max(10_000, measureMs / 5));
    const B = 'soak';
    const out: Row[] = [];
    const unknown = ctx.soakWorkloads?.filter((n) => !WORKLOADS.some((w) => w.name === n)) ?? [];
    if (unknown.length) throw new Error(`--soak-workloads: unknown ${unknown.join(', ')} (have ${WORKLOADS.map((w) => w.name).join(', ')})`);
    for (const w of WORKLOADS.filter((x) => !ctx.soakWorkloads || ctx.soakWorkloads.includes(x.name))) {
      if (w.headlessOnly && ctx.launch.backend !== 'headless') {
        out.push(row(B, `${w.name}: slope`, 'MiB/h', [], { note: 'headless only (pointer input injected through the virtual desktop)' }));
        continue;
      }
      ctx.log(`  ${w.name}: ${w.title}, ${(warmupMs / 1000).toFixed(0)} s warm-up + ${ctx.soakSeconds} s`);
      const r = await soakOne(ctx, w, warmupMs, measureMs);
      ctx.log(
        `    ${r.units} ${r.unit}; RSS idle ${(r.idle / MIB).toFixed(1)} MiB, during ${(r.during / MIB).toFixed(1)} (peak ${(r.peak / MIB).toFixed(1)}), ` +
          `after ${(r.after / MIB).toFixed(1)}; slope ${r.slopeMiBPerHour.toFixed(2)} MiB/h; floors ${r.floors.map((f) => f.toFixed(1)).join(' ')} MiB`,
      );
      const idle = { name: 'idle engine', runs: [r.idle] };
      out.push(
        row(B, `${w.name}: RSS idle, before`, 'bytes', [r.idle]),
        row(B, `${w.name}: RSS during (median)`, 'bytes', [r.during], { baseline: idle, note: `peak ${(r.peak / MIB).toFixed(1)} MiB; ${r.units} ${r.unit}` }),
        row(B, `${w.name}: RSS after every client left`, 'bytes', [r.after], {
          baseline: idle,
          target: { text: '≤ 1.15× idle', ok: (_v, ratio) => ratio !== undefined && ratio <= 1.15 },
        }),
        row(B, `${w.name}: slope after warm-up`, 'MiB/h', [r.slopeMiBPerHour], {
          target: { text: '≤ 1 MiB/h (full mode)', ok: (v) => v <= 1 },
          note: `fitted to the floor of each ${(floorStretchMs(measureMs) / 1000).toFixed(1)} s over ${ctx.soakSeconds} s`,
        }),
      );
    }
    return out;
  },
};
