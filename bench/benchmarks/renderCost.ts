import * as path from 'node:path';
import { LIMITS } from '../../protocol';
import { Scene } from '../../engine/core/scene';
import { heapOfThisThread } from '../../engine/memory/heap';
import { SkiaRenderer } from '../../engine/render/skiaRenderer';
import { startEngine } from '../lib/engine';
import { latencyRows, row, type Benchmark, type BenchContext, type Row } from '../lib/report';
import { median, tick } from '../lib/stats';
import { renderAttack } from './renderAttack';
import { WORST_SURFACES, largestAllowed, surfaceCost, type WorstSurface } from './worstSurfaces';

/** What the render budget promises: the worst surface it allows renders in this long. */
const TARGET_MS = 50;
/** And another client's round trip, while a client renders the worst it may, stays within this (p99). */
const OTHERS_P99_MS = 50;
/** Visible surfaces the attacker re-renders. */
const ATTACK_SURFACES = 8;

/**
 * Milliseconds per render of a scene built anew each run (so the time
 * includes what a client re-setting its elements every frame makes the
 * engine redo: text layout, paths, image drawables), into the surface's
 * own canvas as the engine does, or into a new one each run (`resized`: a
 * client resizing its surface every frame). Between runs, garbage is
 * collected and the event loop turns, as the engine thread does between
 * frames, so frames read back are freed and their memory reused.
 */
async function renderTimes(renderer: SkiaRenderer, worst: WorstSurface, n: number, runs: number, resized: boolean): Promise<number[]> {
  const heap = heapOfThisThread();
  const times: number[] = [];
  let scene = new Scene();
  // The first run makes the surface's canvas, as the surface's first frame does.
  for (let i = -1; i < runs; i++) {
    if (resized) {
      renderer.release(scene);
      scene = new Scene();
    } else scene.clear();
    for (const [k, e] of worst.elements(n).entries()) scene.set({ ...e, key: `e${k}` });
    const t0 = performance.now();
    renderer.render(scene, worst.width, worst.height - (resized ? i & 1 : 0), 1);
    if (i >= 0) times.push(performance.now() - t0);
    heap.collectAll();
    await tick();
  }
  renderer.release(scene);
  return times;
}

/**
 * The worst surface the limits allow, for each way of spending the render
 * budget, rendered in-process as the engine thread renders it; the blank
 * largest surface also resized every frame. Figures: ms per render, median
 * over runs. Then the same scenes through a real engine: what other
 * clients' round trips and frames cost while one client keeps re-setting
 * the worst of them on many visible surfaces.
 */
export const renderCost: Benchmark = {
  name: 'renderCost',
  title: 'Render time of the worst surface each limit allows',
  async run(ctx: BenchContext): Promise<Row[]> {
    const runs = ctx.quick ? 3 : Math.max(5, ctx.runs);
    const renderer = new SkiaRenderer();
    const rows: Row[] = [];
    const cases = [...WORST_SURFACES.map((worst) => ({ worst, resized: false })), { worst: WORST_SURFACES[0]!, resized: true }];
    for (const { worst, resized } of cases) {
      const n = largestAllowed(worst);
      const times = await renderTimes(renderer, worst, n, runs, resized);
      const name = resized ? `${worst.name}, resized every frame` : worst.name;
      ctx.log(`${name}: n=${n}, ${median(times).toFixed(1)} ms`);
      const cost = surfaceCost(worst.width, worst.height, worst.elements(n));
      rows.push(
        row('renderCost', name, 'ms', times, {
          target: { text: `≤ ${TARGET_MS} ms`, ok: (v) => v <= TARGET_MS },
          note: `n=${n}, estimated cost ${(cost / 1e6).toFixed(1)} M of ${LIMITS.maxRenderCostPerSurface / 1e6} M`,
        }),
      );
    }
    const trips: number[][] = [];
    const frames: number[][] = [];
    for (let i = 0; i < (ctx.quick ? 1 : 3); i++) {
      const engine = await startEngine(ctx.launch, ['--monitors', '8192x8192@96']);
      try {
        const figures = await renderAttack(engine.endpoint, engine.stateDir, path.resolve(__dirname, '..', '..'), ctx.quick ? 3_000 : 8_000, ATTACK_SURFACES);
        if (figures.attackerErrors.length) throw new Error(`the attacker's scenes were refused: ${figures.attackerErrors[0]}`);
        trips.push(figures.createHudMs);
        frames.push(figures.frameMs);
      } finally {
        await engine.stop();
      }
    }
    const during = `while a client re-sets the worst scenes on ${ATTACK_SURFACES} visible surfaces`;
    rows.push(...latencyRows('renderCost', `good client createHud ${during}`, trips, { p99Target: OTHERS_P99_MS }));
    rows.push(...latencyRows('renderCost', `another client's own frame (update + sync) ${during}`, frames));
    return rows;
  },
};
