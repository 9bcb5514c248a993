import { spawn } from 'node:child_process';
import { startEngine } from '../lib/engine';
import { cpuSample, procAvailable, threadSwitches } from '../lib/proc';
import { RawConnection } from '../lib/rawClient';
import { row, type Benchmark, type BenchContext, type Row } from '../lib/report';
import { sleep } from '../lib/stats';

/**
 * V8 tidies a new process's heap once, about 8 s after start-up's last full
 * collection (its memory reducer: ≈ 100 ms of CPU on the main thread and
 * V8's helpers). Measured in a window of its own, before the surfaces are
 * set up, so it is not charged to them.
 */
const STARTUP_WINDOW_S = 10;

interface IdleWindow {
  cpu: number;
  wakes: number;
  bareCpu: number;
  bareWakes: number;
  /** Threads of the engine that woke, with their context switches. */
  threads: string;
}

/** CPU % and wakeups/s of the engine and the bare node over `seconds`, from /proc. */
async function idleWindow(enginePid: number, barePid: number, seconds: number): Promise<IdleWindow> {
  const a = cpuSample(enginePid)!;
  const b = cpuSample(barePid)!;
  const ta = threadSwitches(enginePid);
  await sleep(seconds * 1000);
  const a2 = cpuSample(enginePid)!;
  const b2 = cpuSample(barePid)!;
  const tb = threadSwitches(enginePid);
  const wall = a2.at - a.at;
  const busy = [...tb].map(([k, v]) => [k, v - (ta.get(k) ?? 0)] as const).filter(([, d]) => d > 0);
  return {
    cpu: ((a2.schedMs - a.schedMs) / wall) * 100,
    wakes: ((a2.switches - a.switches) / wall) * 1000,
    bareCpu: ((b2.schedMs - b.schedMs) / wall) * 100,
    bareWakes: ((b2.switches - b.switches) / wall) * 1000,
    threads: busy.map(([k, d]) => `${k}: ${d}`).join(', ') || 'none',
  };
}

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
    const count = ctx.quick ? 2 : Math.max(3, Math.min(ctx.runs, 4));
    // The bare node first: its own start is over before the engine's first window opens.
    const bare = spawn(ctx.launch.node, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
    const engine = await startEngine(ctx.launch).catch((err: unknown) => {
      bare.kill('SIGTERM');
      throw err;
    });
    try {
      if (!procAvailable(engine.pid)) return [row('idle', 'engine CPU', '%', [], { note: 'no /proc on this system' })];
      const log = (name: string, w: IdleWindow) =>
        ctx.log(
          `  ${name}: engine ${w.cpu.toFixed(4)}% CPU, ${w.wakes.toFixed(2)} wakeups/s (threads that woke: ${w.threads}); bare node ${w.bareCpu.toFixed(4)}%`,
        );
      const startup = await idleWindow(engine.pid, bare.pid!, STARTUP_WINDOW_S);
      log('after start, no surfaces', startup);
      const raw = await RawConnection.open(engine.endpoint, engine.token());
      for (let i = 0; i < 20; i++) {
        const { id } = (await raw.request('createHud', { width: 200, height: 50, placement: { x: 20 + (i % 5) * 210, y: 20 + Math.floor(i / 5) * 60 } })) as {
          id: string;
        };
        raw.send('setRect', { surface: id, key: 'bg', x: 0, y: 0, width: 200, height: 50, fill: '#14141ec8', cornerRadius: 8 });
        raw.send('setText', { surface: id, key: 't', text: `surface ${i}`, x: 10, y: 14, fontSize: 16, color: '#ffffff' });
        raw.send('show', { surface: id });
      }
      await raw.request('sync');
      await sleep(1000);
      const windows: IdleWindow[] = [];
      for (let w = 0; w < count; w++) {
        windows.push(await idleWindow(engine.pid, bare.pid!, windowS));
        log(`window ${w}`, windows.at(-1)!);
      }
      raw.close();
      const B = 'idle (20 surfaces)';
      const runs = (ws: IdleWindow[], field: keyof Omit<IdleWindow, 'threads'>) => ws.map((w) => w[field]);
      const first = windows.slice(0, 1);
      const later = windows.slice(1);
      return [
        row(B, `engine CPU, first ${STARTUP_WINDOW_S} s after start (no surfaces yet)`, '%', runs([startup], 'cpu'), {
          baseline: { name: 'bare node', runs: runs([startup], 'bareCpu') },
          note: "V8's memory reducer tidies the start-up heap once, about 8 s after start",
        }),
        row(B, `engine CPU, first ${windowS} s after setup`, '%', runs(first, 'cpu'), {
          baseline: { name: 'bare node', runs: runs(first, 'bareCpu') },
          target: { text: '≤ 0.1 %', ok: (v) => v <= 0.1 },
        }),
        row(B, `engine CPU over ${windowS} s, steady (later windows)`, '%', runs(later, 'cpu'), {
          baseline: { name: 'bare node', runs: runs(later, 'bareCpu') },
          target: { text: '≤ 0.1 %', ok: (v) => v <= 0.1 },
        }),
        row(B, 'engine wakeups, first window (ctx switches, all threads)', '/s', runs(first, 'wakes'), {
          baseline: { name: 'bare node', runs: runs(first, 'bareWakes') },
        }),
        row(B, 'engine wakeups, steady (ctx switches, all threads)', '/s', runs(later, 'wakes'), {
          baseline: { name: 'bare node', runs: runs(later, 'bareWakes') },
          target: { text: '0 (no timers, no polling)', ok: (v) => v < 0.5 },
          note: `threads that woke in the last window: ${windows.at(-1)!.threads}`,
        }),
      ];
    } finally {
      bare.kill('SIGTERM');
      await engine.stop();
    }
  },
};
