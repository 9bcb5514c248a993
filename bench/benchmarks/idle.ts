import { spawn } from 'node:child_process';
import { startEngine } from '../lib/engine';
import { cpuSample, procAvailable, threadSwitches } from '../lib/proc';
import { RawConnection } from '../lib/rawClient';
import { row, type Benchmark, type BenchContext, type Row } from '../lib/report';
import { sleep } from '../lib/stats';

/**
 * 4. Idle cost: an engine showing 20 static visible surfaces, one client
 * connected and silent. CPU over the window from /proc (schedstat, ns
 * resolution, all threads) and every thread's context switches: an engine
 * with no timers and no polling wakes up (almost) never. Baseline: a bare
 * `node` process idling on a long timer, measured over the same window.
 */
export const idle: Benchmark = {
  name: 'idle',
  title: 'Idle cost: 20 visible static surfaces',
  async run(ctx: BenchContext): Promise<Row[]> {
    const windowS = ctx.quick ? 2 : 10;
    // Window 0 starts 1 s after the surfaces were set up; the later ones show the steady state.
    const windows = ctx.quick ? 2 : Math.max(3, Math.min(ctx.runs, 4));
    const engine = await startEngine(ctx.launch);
    const bare = spawn(ctx.launch.node, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
    try {
      if (!procAvailable(engine.pid)) return [row('idle', 'engine CPU', '%', [], { note: 'no /proc on this system' })];
      const raw = await RawConnection.open(engine.endpoint, engine.token());
      for (let i = 0; i < 20; i++) {
        const { id } = (await raw.request('createHud', { width: 200, height: 50, placement: { x: 20 + (i % 5) * 210, y: 20 + Math.floor(i / 5) * 60 } })) as { id: string };
        raw.send('setRect', { surface: id, key: 'bg', x: 0, y: 0, width: 200, height: 50, fill: '#14141ec8', cornerRadius: 8 });
        raw.send('setText', { surface: id, key: 't', text: `surface ${i}`, x: 10, y: 14, fontSize: 16, color: '#ffffff' });
        raw.send('show', { surface: id });
      }
      await raw.request('sync');
      await sleep(1000);
      const cpu: number[] = [];
      const wakes: number[] = [];
      const bareCpu: number[] = [];
      const bareWakes: number[] = [];
      let perThread = '';
      for (let w = 0; w < windows; w++) {
        const a = cpuSample(engine.pid)!;
        const b = cpuSample(bare.pid!)!;
        const ta = threadSwitches(engine.pid);
        await sleep(windowS * 1000);
        const a2 = cpuSample(engine.pid)!;
        const b2 = cpuSample(bare.pid!)!;
        const tb = threadSwitches(engine.pid);
        const wall = a2.at - a.at;
        cpu.push(((a2.schedMs - a.schedMs) / wall) * 100);
        wakes.push(((a2.switches - a.switches) / wall) * 1000);
        bareCpu.push(((b2.schedMs - b.schedMs) / wall) * 100);
        bareWakes.push(((b2.switches - b.switches) / wall) * 1000);
        const busy = [...tb].map(([k, v]) => [k, v - (ta.get(k) ?? 0)] as const).filter(([, d]) => d > 0);
        perThread = busy.map(([k, d]) => `${k}: ${d}`).join(', ') || 'none';
        ctx.log(`  window ${w}: engine ${cpu.at(-1)!.toFixed(4)}% CPU, ${wakes.at(-1)!.toFixed(2)} wakeups/s (threads that woke: ${perThread}); bare node ${bareCpu.at(-1)!.toFixed(4)}%`);
      }
      raw.close();
      const B = 'idle (20 surfaces)';
      const later = <T,>(a: T[]) => a.slice(1);
      return [
        row(B, `engine CPU, first ${windowS} s after setup`, '%', cpu.slice(0, 1), {
          baseline: { name: 'bare node', runs: bareCpu.slice(0, 1) },
          target: { text: '≤ 0.1 %', ok: (v) => v <= 0.1 },
          note: 'includes V8 clean-up after the setup burst (GC, memory reducer)',
        }),
        row(B, `engine CPU over ${windowS} s, steady (later windows)`, '%', later(cpu), {
          baseline: { name: 'bare node', runs: later(bareCpu) },
          target: { text: '≤ 0.1 %', ok: (v) => v <= 0.1 },
        }),
        row(B, 'engine wakeups, first window (ctx switches, all threads)', '/s', wakes.slice(0, 1), { baseline: { name: 'bare node', runs: bareWakes.slice(0, 1) } }),
        row(B, 'engine wakeups, steady (ctx switches, all threads)', '/s', later(wakes), {
          baseline: { name: 'bare node', runs: later(bareWakes) },
          target: { text: '0 (no timers, no polling)', ok: (v) => v < 0.5 },
          note: `threads that woke in the last window: ${perThread}`,
        }),
      ];
    } finally {
      bare.kill('SIGTERM');
      await engine.stop();
    }
  },
};
