import { encodeFrame } from '../../protocol';
import { startEngine } from '../lib/engine';
import { RawConnection } from '../lib/rawClient';
import { latencyRows, type Benchmark, type BenchContext, type Row } from '../lib/report';
import { Sink } from '../lib/sink';

/**
 * 2. Round trip: `createHud` through the client library, p50 and p99, next
 * to a raw request/response ping (same frame size) over the same kind of
 * socket to an echoing process, and the engine's own no-op round trip (`sync`).
 */
export const roundTrip: Benchmark = {
  name: 'roundtrip',
  title: 'Round trip: createHud',
  async run(ctx: BenchContext): Promise<Row[]> {
    const n = ctx.quick ? 300 : 1000;
    const sink = await Sink.start(ctx.launch);
    const engine = await startEngine(ctx.launch);
    try {
      const echo = await sink.connect('echo');
      const raw = await RawConnection.open(engine.endpoint, engine.token());
      const client = await engine.connect('bench-roundtrip');
      const opts = { width: 200, height: 60, placement: { x: 100, y: 100 } };
      const pingFrame = encodeFrame({ op: 'createHud', seq: 123456, ...opts });
      const ping: number[][] = [];
      const sync: number[][] = [];
      const create: number[][] = [];
      for (let run = -1; run < ctx.runs; run++) {
        const p: number[] = [];
        const s: number[] = [];
        const c: number[] = [];
        // Interleaved, so all three see the same machine load.
        for (let i = 0; i < n; i++) {
          p.push(await echo.ping(pingFrame));
          let t0 = performance.now();
          await raw.request('sync');
          s.push(performance.now() - t0);
          t0 = performance.now();
          const hud = await client.createHud(opts);
          c.push(performance.now() - t0);
          hud.destroy();
        }
        if (run >= 0) {
          ping.push(p);
          sync.push(s);
          create.push(c);
        }
      }
      echo.close();
      raw.close();
      await client.close();
      const B = 'round trip';
      return [
        ...latencyRows(B, 'raw ping (echo process)', ping, { note: `${n} samples per run, interleaved` }),
        ...latencyRows(B, 'engine sync (raw frames)', sync, { baseline: { name: 'ping', perRun: ping } }),
        ...latencyRows(B, 'createHud (Client API)', create, { baseline: { name: 'ping', perRun: ping }, p50Target: 0.5 }),
      ];
    } finally {
      await engine.stop();
      await sink.stop();
    }
  },
};
