import * as path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { CommandSchemas, FrameDecoder, commandStreamCodec, parseCommand } from '../../protocol';
import { setTextChunks } from '../lib/rawClient';
import { row, type Benchmark, type BenchContext, type Row } from '../lib/report';

/**
 * A two-thread model of the engine's ingest pipeline, to size optimisations
 * before anyone rewrites the engine. The main thread does what a session
 * does per read chunk (decode every frame, validate it, hand the burst to
 * the engine thread with one post and at most one wake); a worker does what
 * the engine thread does (drain with receiveMessageOnPort, apply to a
 * scene-like map). No sockets: the frames are already in memory, so this is
 * the engine's CPU ceiling per variant, not an end-to-end figure.
 *
 *   before  msgpack maps → zod → post objects (structured clone)
 *   today   the connection's record stream → schema-compiled check
 *           (parseCommand) → post the validated chunk's bytes; the worker
 *           decodes them again with its own copy of the stream's records
 */
type Variant = 'before' | 'today';
const VARIANTS: { v: Variant; name: string }[] = [
  { v: 'before', name: 'before: maps → zod → clone objects' },
  { v: 'today', name: 'today: records → compiled check → post bytes, worker re-decodes' },
];

export const channel: Benchmark = {
  name: 'channel',
  title: 'Channel model: main thread + engine thread ceiling per design',
  async run(ctx: BenchContext): Promise<Row[]> {
    const n = ctx.quick ? 60_000 : 200_000;
    const { chunks } = setTextChunks('s1', n, 64 * 1024);
    const mapChunks = setTextChunks('s1', n, 64 * 1024, { maps: true }).chunks;
    const rates: Record<Variant, number[]> = { before: [], today: [] };
    for (let run = -1; run < ctx.runs; run++) {
      for (const { v } of VARIANTS) {
        const shared = new SharedArrayBuffer(12);
        const state = new Int32Array(shared);
        const { port1, port2 } = new MessageChannel();
        const worker = new Worker(path.join(__dirname, '..', 'lib', 'channelWorker.js'), {
          workerData: { port: port2, shared, records: v === 'today' },
          transferList: [port2],
        });
        await new Promise((r) => setTimeout(r, 50)); // let it reach its first wait
        const wake = () => {
          if (Atomics.compareExchange(state, 0, 0, 1) === 0) Atomics.notify(state, 0);
        };
        const t0 = performance.now();
        const decoder = v === 'today' ? new FrameDecoder(undefined, commandStreamCodec(), true) : new FrameDecoder();
        for (const chunk of v === 'today' ? chunks : mapChunks) {
          const items: { t: 'cmd'; session: number; cmd: unknown }[] = [];
          for (const f of decoder.push(chunk)) {
            if (!f.ok) throw new Error(f.message);
            if (v === 'before') {
              const p = CommandSchemas.setText.safeParse(f.value);
              if (!p.success) throw new Error(p.error.message);
              items.push({ t: 'cmd', session: 1, cmd: p.data });
            } else if (!parseCommand(f.value).ok) throw new Error('invalid');
          }
          port1.postMessage(v === 'before' ? items : chunk);
          wake();
        }
        while (Atomics.load(state, 1) < n) Atomics.wait(state, 1, Atomics.load(state, 1), 20);
        const ms = performance.now() - t0;
        Atomics.store(state, 2, 1);
        wake();
        Atomics.store(state, 0, 1);
        Atomics.notify(state, 0);
        await worker.terminate();
        port1.close();
        if (run >= 0) rates[v].push((n / ms) * 1000);
      }
      if (run >= 0) ctx.log(`  run ${run}: ${VARIANTS.map(({ v }) => `${v} ${(rates[v].at(-1)! / 1e6).toFixed(2)} M/s`).join(', ')}`);
    }
    const B = 'channel model';
    return VARIANTS.map(({ v, name }, i) =>
      row(
        B,
        name,
        'cmd/s',
        rates[v],
        i === 0 ? { note: `${n} setText, no sockets: CPU ceiling of the two engine threads` } : { baseline: { name: 'before', runs: rates.before } },
      ),
    );
  },
};
