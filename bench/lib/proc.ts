import * as fs from 'node:fs';

/**
 * Per-process accounting from /proc (Linux only; under Wine or on Windows
 * these return null and the benchmarks that need them report "n/a").
 */
const CLOCK_TICKS = 100; // USER_HZ on every Linux this runs on

export interface CpuSample {
  /** utime + stime of every thread of the process, ms. */
  cpuMs: number;
  /** On-CPU time from /proc/<pid>/task/<tid>/schedstat summed over live threads, ms (ns resolution). */
  schedMs: number;
  /** Voluntary + involuntary context switches summed over all threads: each wakeup counts. */
  switches: number;
  threads: number;
  at: number;
}

export function procAvailable(pid: number): boolean {
  return fs.existsSync(`/proc/${pid}/stat`);
}

/** Each live thread of `pid` as `/proc/<pid>/task/<tid>`; threads that exit meanwhile are skipped. */
function forEachThread(pid: number, visit: (tid: number, dir: string) => void): void {
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return; // the process is gone, or there is no /proc
  }
  for (const tid of tids) {
    try {
      visit(Number(tid), `/proc/${pid}/task/${tid}`);
    } catch {
      // the thread exited meanwhile
    }
  }
}

/** On-CPU ms of one thread, from schedstat (ns resolution). */
function schedMs(dir: string): number {
  return Number(fs.readFileSync(`${dir}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

/** Voluntary + involuntary context switches in a thread's status: each wakeup counts. */
function contextSwitches(status: string): number {
  let n = 0;
  for (const m of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)/gm)) n += Number(m[1]);
  return n;
}

export function cpuSample(pid: number): CpuSample | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name, which is in parentheses and may contain spaces.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  let switches = 0;
  let threads = 0;
  let sched = 0;
  forEachThread(pid, (_tid, dir) => {
    const ms = schedMs(dir);
    const status = fs.readFileSync(`${dir}/status`, 'utf8');
    sched += ms;
    threads++;
    switches += contextSwitches(status);
  });
  return { cpuMs: ((utime + stime) * 1000) / CLOCK_TICKS, schedMs: sched, switches, threads, at: performance.now() };
}

/** Per-thread wakeups between two moments, by thread name: finds who polls. */
export function threadSwitches(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  forEachThread(pid, (tid, dir) => {
    const status = fs.readFileSync(`${dir}/status`, 'utf8');
    out.set(`${/^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?'}#${tid}`, contextSwitches(status));
  });
  return out;
}

/** On-CPU ms of each thread (schedstat, ns resolution), by thread id; empty without /proc. */
export function threadCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  forEachThread(pid, (tid, dir) => out.set(tid, schedMs(dir)));
  return out;
}

/**
 * CPU ms between two threadCpuMs samples of the engine: its main thread
 * (tid = pid) and its busiest other thread (the engine thread; the rest are
 * V8 and libuv helpers).
 */
export function engineThreadsCpu(pid: number, before: Map<number, number>, after: Map<number, number>): { main: number; engine: number } | null {
  if (!after.size) return null;
  const spent = [...after].map(([tid, ms]) => [tid, ms - (before.get(tid) ?? 0)] as const);
  const main = spent.find(([tid]) => tid === pid)?.[1] ?? 0;
  const engine = Math.max(0, ...spent.filter(([tid]) => tid !== pid).map(([, ms]) => ms));
  return { main, engine };
}

/** Resident set size in bytes, or null. */
export function rssBytes(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
