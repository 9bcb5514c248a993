import { median, percentile } from './stats';

/** One figure of the suite: the median of its runs, next to a baseline measured in the same run. */
export interface Row {
  bench: string;
  metric: string;
  unit: string;
  /** Median over runs (or the single aggregated value when `samples` holds raw latencies). */
  value: number;
  /** Every run's value, for the JSON. */
  runs: number[];
  baseline?: { name: string; value: number; unit: string; runs?: number[] };
  /** Median over runs of value / baseline when both were measured run by run (paired), else value / baseline.value. */
  ratio?: number;
  target?: string;
  /** true/false against the target; null when there is no target or no value. */
  pass?: boolean | null;
  note?: string;
}

export interface BenchContext {
  quick: boolean;
  runs: number;
  launch: import('./engine').EngineLaunch;
  log(message: string): void;
  /** Where profiles go when --profile is given, else null. */
  profileDir: string | null;
  /** Measured window of each soak workload, seconds (--soak-seconds). */
  soakSeconds: number;
  /** Soak workloads to run (--soak-workloads), or null for all. */
  soakWorkloads: string[] | null;
}

export interface Benchmark {
  name: string;
  title: string;
  /** Runs only when named (long-running): not part of the default suite. */
  onRequest?: boolean;
  run(ctx: BenchContext): Promise<Row[]>;
}

export function row(
  bench: string,
  metric: string,
  unit: string,
  runs: number[],
  opts: {
    baseline?: { name: string; runs: number[] | number; unit?: string };
    target?: { text: string; ok(v: number, ratio: number | undefined): boolean };
    note?: string;
    value?: number;
  } = {},
): Row {
  const finite = runs.filter((v) => Number.isFinite(v));
  const value = opts.value ?? median(finite);
  const r: Row = { bench, metric, unit, value, runs };
  if (opts.baseline) {
    const baseRuns = opts.baseline.runs;
    const b = typeof baseRuns === 'number' ? baseRuns : median(baseRuns.filter((v) => Number.isFinite(v)));
    r.baseline = { name: opts.baseline.name, value: b, unit: opts.baseline.unit ?? unit };
    if (typeof baseRuns !== 'number' && baseRuns.length === runs.length && runs.length > 0) {
      // Paired: each run against the baseline measured in that same run, then the median of those ratios.
      r.baseline.runs = baseRuns;
      const ratios = runs.map((v, i) => v / baseRuns[i]!).filter((x) => Number.isFinite(x));
      if (ratios.length) r.ratio = median(ratios);
    } else if (Number.isFinite(b) && b !== 0) r.ratio = value / b;
  }
  if (opts.target) {
    r.target = opts.target.text;
    r.pass = Number.isFinite(value) ? opts.target.ok(value, r.ratio) : null;
  }
  if (opts.note) r.note = opts.note;
  return r;
}

/** p50/p99 summaries of latency samples pooled over runs, with per-run medians kept. */
export function latencyRows(
  bench: string,
  name: string,
  perRun: number[][],
  opts: { baseline?: { name: string; perRun: number[][] }; p50Target?: number; p99Target?: number; note?: string } = {},
): Row[] {
  const out: Row[] = [];
  for (const [p, target] of [
    [50, opts.p50Target],
    [99, opts.p99Target],
  ] as const) {
    const runs = perRun.map((s) => percentile(s, p));
    const base = opts.baseline ? { name: `${opts.baseline.name} p${p}`, runs: opts.baseline.perRun.map((s) => percentile(s, p)) } : undefined;
    out.push(
      row(bench, `${name} p${p}`, 'ms', runs, {
        ...(base ? { baseline: base } : {}),
        ...(target !== undefined ? { target: { text: `≤ ${target} ms`, ok: (v: number) => v <= target } } : {}),
        ...(opts.note && p === 50 ? { note: opts.note } : {}),
      }),
    );
  }
  return out;
}

export function fmt(v: number | undefined, unit = ''): string {
  if (v === undefined || !Number.isFinite(v)) return 'n/a';
  let s: string;
  const a = Math.abs(v);
  if (unit === 'cmd/s' || unit === 'frames/s' || unit === 'B/s') {
    s = a >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : a >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(0);
  } else if (unit === 'bytes') {
    s = a >= 1 << 20 ? `${(v / (1 << 20)).toFixed(1)} MiB` : a >= 1024 ? `${(v / 1024).toFixed(1)} KiB` : `${v.toFixed(0)} B`;
    return s;
  } else if (a >= 100) s = v.toFixed(0);
  else if (a >= 10) s = v.toFixed(1);
  else if (a >= 1) s = v.toFixed(2);
  else s = v.toFixed(3);
  return unit ? `${s} ${unit}` : s;
}

export function formatTable(rows: Row[]): string {
  const header = ['benchmark', 'metric', 'median', 'baseline (same run)', 'ratio', 'target', 'ok'];
  const lines = rows.map((r) => [
    r.bench,
    r.metric,
    fmt(r.value, r.unit),
    r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value, r.baseline.unit)}` : '',
    r.ratio !== undefined && Number.isFinite(r.ratio) ? (r.ratio >= 100 ? `${r.ratio.toFixed(0)}×` : `${r.ratio.toFixed(2)}×`) : '',
    r.target ?? '',
    r.pass === undefined || r.pass === null ? '' : r.pass ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmtLine = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [fmtLine(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmtLine)].join('\n');
}

/** The same table as Markdown (written next to the JSON, for docs/performance.md). */
export function formatMarkdown(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| benchmark | metric | median | baseline (same run) | ratio | target | ok |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    lines.push(
      `| ${esc(r.bench)} | ${esc(r.metric.trim())} | ${fmt(r.value, r.unit)} | ${r.baseline ? esc(`${r.baseline.name}: ${fmt(r.baseline.value, r.baseline.unit)}`) : ''} | ${
        r.ratio !== undefined && Number.isFinite(r.ratio) ? `${r.ratio >= 100 ? r.ratio.toFixed(0) : r.ratio.toFixed(2)}×` : ''
      } | ${esc(r.target ?? '')} | ${r.pass === undefined || r.pass === null ? '' : r.pass ? 'yes' : '**no**'} |`,
    );
  }
  return lines.join('\n');
}
