/**
 * A system monitor: a panel with a live chart of the 1-minute load average
 * and of memory in use, drawn with `setDraw` vector ops (grid lines, a
 * gradient-filled area, a polyline), sampled from os.loadavg()/os.freemem().
 *
 *   node dist/examples/system-monitor.js [--duration MS] [--screenshot FILE.png]
 */
import * as os from 'node:os';
import type { DrawOp } from '../client';
import { connectExample, parseExampleArgs, runLoop, runMain } from './common';

const W = 340;
const H = 200;
const CHART = { x: 14, y: 44, width: W - 28, height: 120 };
const SAMPLES = 60;

runMain(async () => {
  const args = parseExampleArgs('Usage: node dist/examples/system-monitor.js [options]');
  const pp = await connectExample(args, 'system monitor');
  const panel = await pp.createPanel({ width: W, height: H, placement: { monitor: 0, anchor: 'bottomRight', margin: 20 }, draggable: true, dragHeight: 36 });
  panel.setRect('bg', { x: 0, y: 0, width: W, height: H, fill: '#0d1117f0', cornerRadius: 10, borderColor: '#30363d', borderWidth: 1 });
  panel.setText('title', { text: 'System monitor', x: 14, y: 12, fontSize: 15, fontWeight: 'bold', color: '#c9d1d9' });

  const cpus = os.cpus().length || 1;
  const load: number[] = [];
  const mem: number[] = [];
  // A little history up front (a gentle wave around the current values), so the chart starts full.
  const load0 = Math.min(1, os.loadavg()[0]! / cpus);
  const mem0 = 1 - os.freemem() / os.totalmem();
  for (let i = 0; i < SAMPLES; i++) {
    load.push(Math.min(1, Math.max(0.02, load0 + 0.15 * Math.sin(i / 5))));
    mem.push(mem0);
  }

  const points = (series: number[]): number[] =>
    series.flatMap((v, i) => [CHART.x + (i / (SAMPLES - 1)) * CHART.width, CHART.y + CHART.height - v * CHART.height]);

  const tick = () => {
    load.push(Math.min(1, os.loadavg()[0]! / cpus));
    mem.push(1 - os.freemem() / os.totalmem());
    load.splice(0, load.length - SAMPLES);
    mem.splice(0, mem.length - SAMPLES);
    const ops: DrawOp[] = [];
    for (let g = 0; g <= 4; g++) {
      const y = CHART.y + (g / 4) * CHART.height;
      ops.push({ type: 'line', x1: CHART.x, y1: y, x2: CHART.x + CHART.width, y2: y, stroke: '#21262d', strokeWidth: 1 });
    }
    const lp = points(load);
    // Area under the load curve, filled with a vertical gradient.
    ops.push({
      type: 'polyline',
      points: [CHART.x, CHART.y + CHART.height, ...lp, CHART.x + CHART.width, CHART.y + CHART.height],
      closed: true,
      fill: {
        type: 'linearGradient',
        x0: 0,
        y0: CHART.y,
        x1: 0,
        y1: CHART.y + CHART.height,
        stops: [
          { offset: 0, color: '#2f81f7cc' },
          { offset: 1, color: '#2f81f710' },
        ],
      },
    });
    ops.push({ type: 'polyline', points: lp, stroke: '#58a6ff', strokeWidth: 2, lineJoin: 'round' });
    ops.push({ type: 'polyline', points: points(mem), stroke: '#f0883e', strokeWidth: 2, dash: [6, 4] });
    const last = lp.slice(-2);
    ops.push({ type: 'ellipse', cx: last[0]!, cy: last[1]!, rx: 4, ry: 4, fill: '#58a6ff' });
    panel.setDraw('chart', { ops });
    panel.setText('legend', {
      text: `load ${(os.loadavg()[0] ?? 0).toFixed(2)} (${cpus} cpu)   mem ${Math.round(mem[mem.length - 1]! * 100)}%`,
      x: 14,
      y: H - 28,
      fontSize: 13,
      color: '#8b949e',
    });
  };
  tick();
  panel.show();
  console.log(`system monitor: panel ${panel.id} shown`);
  await runLoop(pp, args, { tick, everyMs: 1000 });
});
