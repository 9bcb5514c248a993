import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEngine } from './lib/engine';
import { RawConnection, setTextChunks } from './lib/rawClient';
import type { BenchContext } from './lib/report';

/**
 * Profile the engine process (both threads: node --cpu-prof writes one
 * .cpuprofile per thread) while one client pushes pre-encoded setText frames,
 * then summarise where the time went: self time by category and by function,
 * and inclusive time of the hot-path functions.
 */
export async function profileEngine(ctx: BenchContext, dir: string): Promise<unknown> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const count = ctx.quick ? 150_000 : 400_000;
  const engine = await startEngine({ ...ctx.launch, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200'] });
  let rate = 0;
  try {
    const raw = await RawConnection.open(engine.endpoint, engine.token());
    const id = await raw.visibleHud(10, 10);
    const { chunks } = setTextChunks(id, count);
    const t0 = performance.now();
    for (const c of chunks) await raw.write(c);
    await raw.request('sync');
    rate = (count / (performance.now() - t0)) * 1000;
    raw.close();
  } finally {
    await engine.stop();
  }
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const paths = files.map((f) => path.join(dir, f));
  const window = loadWindow(paths);
  const threads = paths.map((f) => summarize(f, window));
  ctx.log(`  profiled ${count} setText at ${(rate / 1e6).toFixed(3)} M/s (profiler on); ${files.length} profiles in ${dir}`);
  for (const t of threads) ctx.log(formatSummary(t));
  return { count, rateWithProfiler: rate, dir, threads };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ThreadSummary {
  file: string;
  thread: string;
  totalMs: number;
  busyMs: number;
  categories: { name: string; ms: number; pctBusy: number }[];
  topSelf: { fn: string; ms: number; pctBusy: number }[];
  inclusive: { fn: string; ms: number; pctBusy: number }[];
}

const CATEGORIES: [string, (fn: string, url: string) => boolean][] = [
  ['idle (waiting)', (fn, url) => fn === '(idle)' || (fn === 'wait' && url === '') || /sleepUntilWoken/.test(fn)],
  ['garbage collector', (fn) => fn === '(garbage collector)'],
  ['zod validation', (_fn, url) => /node_modules\/zod\//.test(url)],
  ['msgpack (msgpackr)', (_fn, url) => /node_modules\/msgpackr\//.test(url)],
  ['protocol (framing, validate)', (_fn, url) => /\/protocol\//.test(url)],
  ['start-up: module loading', (fn) => /^(wrapSafe|compileForInternalLoader|compileFunction|internalBinding|requireBuiltin)$/.test(fn)],
  [
    'channel: postMessage / receiveMessageOnPort',
    (fn, url) =>
      (/^(flush|postFrame|endRun)$/.test(fn) && /engineThread\.js$/.test(url)) ||
      /postMessage|receiveMessageOnPort|structuredClone/.test(fn) ||
      /internal\/worker|per_context\/messageport/.test(url),
  ],
  ['render (skia, compose)', (_fn, url) => /\/engine\/render\/|@napi-rs\/canvas/.test(url)],
  ['engine core (handlers, scene)', (_fn, url) => /\/engine\/core\//.test(url)],
  ['session / server (main thread)', (_fn, url) => /\/engine\/server\/|\/engine\/main\.js/.test(url)],
  ['engine thread loop / platform', (_fn, url) => /\/engine\/thread\/|\/engine\/platform\//.test(url)],
  ['node net/streams/timers', (_fn, url) => /^node:/.test(url)],
  ['(program) native / V8', (fn) => fn === '(program)'],
];

const HOT = [
  'onData',
  'feed',
  'decodeFrame',
  'unpack',
  'parseCommand',
  'safeParse',
  'accept',
  'command',
  'post',
  'postFrame',
  'flush',
  'postMessage',
  'drainChannel',
  'receiveMessageOnPort',
  'receive',
  'receiveFrames',
  'execute',
  'runOne',
  'checkElement',
  'elementOf',
  'set',
  'present',
  'render',
  'surfaceFrame',
  'data',
  'tick',
];

function key(cf: { functionName: string; url: string; lineNumber: number }): string {
  const file = cf.url ? cf.url.replace(/^.*\/(node_modules\/[^/]+|dist)\//, '$1/') : '';
  return `${cf.functionName || '(anonymous)'}${file ? ` ${file}:${cf.lineNumber + 1}` : ''}`;
}

/** Sample times (µs, the process-wide monotonic clock all threads share). */
function sampleTimes(prof: CpuProfile): number[] {
  const out: number[] = [];
  let t = prof.startTime;
  for (const d of prof.timeDeltas) {
    t += d;
    out.push(t);
  }
  return out;
}

/**
 * The load window: first to last sample where the main thread is inside
 * Session.onData. Both threads' profiles are cut to it, so start-up and
 * shutdown do not dilute the figures.
 */
export function loadWindow(files: string[]): { from: number; to: number } | null {
  for (const file of files) {
    const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const inData = new Map<number, boolean>();
    const under = (id: number): boolean => {
      if (inData.has(id)) return inData.get(id)!;
      const cf = byId.get(id)!.callFrame;
      const p = parent.get(id);
      const v = (cf.functionName === 'onData' && /engine\/server\/session\.js$/.test(cf.url)) || (p !== undefined && under(p));
      inData.set(id, v);
      return v;
    };
    const times = sampleTimes(prof);
    let from = Infinity;
    let to = -Infinity;
    prof.samples.forEach((id, i) => {
      if (under(id)) {
        from = Math.min(from, times[i]!);
        to = Math.max(to, times[i]!);
      }
    });
    if (Number.isFinite(from)) return { from, to };
  }
  return null;
}

export function summarize(file: string, window: { from: number; to: number } | null = null): ThreadSummary {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  const times = sampleTimes(prof);
  for (let i = 0; i < prof.samples.length; i++) {
    if (window && (times[i]! < window.from || times[i]! > window.to)) continue;
    const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(prof.samples[i]!, (self.get(prof.samples[i]!) ?? 0) + dt);
  }
  let total = 0;
  const cats = new Map<string, number>();
  const fnSelf = new Map<string, number>();
  const incl = new Map<string, number>();
  let idle = 0;
  for (const [id, ms] of self) {
    total += ms;
    const n = byId.get(id)!;
    const cf = n.callFrame;
    // Category by the innermost frame that is ours or a known library; native leaves inherit their caller's.
    let cat = 'other';
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const hit = CATEGORIES.find(([, test]) => test(f.functionName, f.url));
      if (hit && !(hit[0] === 'node net/streams/timers' && cur !== id)) {
        cat = hit[0];
        break;
      }
    }
    if (cat === 'idle (waiting)') idle += ms;
    cats.set(cat, (cats.get(cat) ?? 0) + ms);
    fnSelf.set(key(cf), (fnSelf.get(key(cf)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!HOT.includes(f.functionName) || !/dist\/|msgpackr|zod|^$/.test(f.url)) continue;
      const k = key(f);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + ms);
    }
  }
  const busy = total - idle;
  const pct = (ms: number) => (busy > 0 ? (ms / busy) * 100 : 0);
  const thread = [...fnSelf.keys()].some((k) => /worker\.js|engine\/core/.test(k)) ? 'engine thread (worker)' : 'main thread';
  return {
    file: path.basename(file),
    thread,
    totalMs: total,
    busyMs: busy,
    categories: [...cats].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, ms, pctBusy: name === 'idle (waiting)' ? NaN : pct(ms) })),
    topSelf: [...fnSelf]
      .filter(([k]) => !/^\((idle|program|garbage collector)\)/.test(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([fn, ms]) => ({ fn, ms, pctBusy: pct(ms) })),
    inclusive: [...incl]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([fn, ms]) => ({ fn, ms, pctBusy: pct(ms) })),
  };
}

export function formatSummary(t: ThreadSummary): string {
  const lines = [`  -- ${t.thread} (${t.file}): ${t.totalMs.toFixed(0)} ms sampled, ${t.busyMs.toFixed(0)} ms busy`];
  lines.push('     by category (self time, % of busy):');
  for (const c of t.categories)
    lines.push(`       ${c.name.padEnd(46)} ${c.ms.toFixed(0).padStart(7)} ms ${Number.isFinite(c.pctBusy) ? `${c.pctBusy.toFixed(1)}%` : ''}`);
  lines.push('     top self time:');
  for (const f of t.topSelf) lines.push(`       ${f.ms.toFixed(0).padStart(7)} ms ${f.pctBusy.toFixed(1).padStart(5)}%  ${f.fn}`);
  lines.push('     inclusive (hot path):');
  for (const f of t.inclusive) lines.push(`       ${f.ms.toFixed(0).padStart(7)} ms ${f.pctBusy.toFixed(1).padStart(5)}%  ${f.fn}`);
  return lines.join('\n');
}

/** `node dist/bench/profile.js FILE.cpuprofile...` summarises existing profiles. */
if (require.main === module) {
  const files = process.argv.slice(2);
  const window = loadWindow(files);
  for (const f of files) process.stdout.write(`${formatSummary(summarize(f, window))}\n`);
}
