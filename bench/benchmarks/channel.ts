import * as path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { Packr } from 'msgpackr';
import { CommandSchemas, FrameDecoder, parseCommand } from '../../protocol';
import { setTextChunks, setTextMessage } from '../lib/rawClient';
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
 *   before   msgpack maps → zod → post objects (structured clone)
 *   today    msgpack maps → schema-compiled check (parseCommand) → post the
 *            validated chunk's bytes; worker decodes again
 *   records  msgpackr records → parseCommand → post bytes; worker decodes records
 */
type Variant = 'before' | 'today' | 'records';
const VARIANTS: { v: Variant; name: string }[] = [
  { v: 'before', name: 'before: maps → zod → clone objects' },
  { v: 'today', name: 'today: maps → compiled check → post bytes, worker re-decodes' },
  { v: 'records', name: 'candidate: records → compiled check → post bytes, worker decodes records' },
];

export const channel: Benchmark = {
  name: 'channel',
  title: 'Channel model: main thread + engine thread ceiling per design',
  async run(ctx: BenchContext): Promise<Row[]> {
    const n = ctx.quick ? 60_000 : 200_000;
    const { chunks } = setTextChunks('s1', n, 64 * 1024);
    const structures: object[] = [];
    const recPackr = new Packr({ useRecords: true, mapsAsObjects: true, structures });
    const recChunks: Buffer[] = [];
    {
      let frames: Buffer[] = [];
      let bytes = 0;
      for (let i = 0; i < n; i++) {
        const body = recPackr.pack(setTextMessage('s1', i + 1));
        const f = Buffer.allocUnsafe(4 + body.length);
        f.writeUInt32LE(body.length, 0);
        body.copy(f, 4);
        frames.push(f);
        bytes += f.length;
        if (bytes >= 64 * 1024 || i === n - 1) {
          recChunks.push(Buffer.concat(frames, bytes));
          frames = [];
          bytes = 0;
        }
      }
    }
    // Plain copies: msgpackr hangs compiled readers on its structure arrays, which cannot be cloned.
    const plain = () => structures.map((s) => [...(s as unknown[])]);
    const recReader = new Packr({ useRecords: true, mapsAsObjects: true, structures: plain() });
    const rates: Record<Variant, number[]> = { before: [], today: [], records: [] };
    for (let run = -1; run < ctx.runs; run++) {
      for (const { v } of VARIANTS) {
        const shared = new SharedArrayBuffer(12);
        const state = new Int32Array(shared);
        const { port1, port2 } = new MessageChannel();
        const worker = new Worker(path.join(__dirname, '..', 'lib', 'channelWorker.js'), {
          workerData: { port: port2, shared, structures: v === 'records' ? plain() : null },
          transferList: [port2],
        });
        await new Promise((r) => setTimeout(r, 50)); // let it reach its first wait
        const wake = () => {
          if (Atomics.compareExchange(state, 0, 0, 1) === 0) Atomics.notify(state, 0);
        };
        const t0 = performance.now();
        if (v === 'records') {
          for (const chunk of recChunks) {
            for (let off = 0; off < chunk.length; ) {
              const len = chunk.readUInt32LE(off);
              if (!parseCommand(recReader.unpack(chunk, { start: off + 4, end: off + 4 + len })).ok) throw new Error('invalid');
              off += 4 + len;
            }
            port1.postMessage(chunk);
            wake();
          }
        } else {
          const decoder = new FrameDecoder();
          for (const chunk of chunks) {
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
      row(B, name, 'cmd/s', rates[v], i === 0 ? { note: `${n} setText, no sockets: CPU ceiling of the two engine threads` } : { baseline: { name: 'before', runs: rates.before } }),
    );
  },
};
