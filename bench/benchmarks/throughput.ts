import * as os from 'node:os';
import { startEngine } from '../lib/engine';
import { engineThreadsCpu, threadCpuMs } from '../lib/proc';
import { RawConnection, SET_TEXT_KEY, setTextChunks, setTextFields } from '../lib/rawClient';
import { row, type Benchmark, type BenchContext, type Row } from '../lib/report';
import { Sink } from '../lib/sink';
import { tick } from '../lib/stats';

/**
 * 1. Throughput: fire-and-forget setText updates from one client, counted as
 * applied by the engine (the clock stops when the `sync` sent after them is
 * answered), next to the same bytes pushed through the same kind of pipe to
 * a process that discards them. Two extra rungs show where the gap opens:
 * the sink decoding the frames (msgpack) and decoding + validating (parseCommand).
 */
export const throughput: Benchmark = {
  name: 'throughput',
  title: 'Throughput: fire-and-forget setText',
  async run(ctx: BenchContext): Promise<Row[]> {
    const count = ctx.quick ? 60_000 : 300_000;
    const sink = await Sink.start(ctx.launch);
    const engine = await startEngine(ctx.launch);
    try {
      const raw = await RawConnection.open(engine.endpoint, engine.token());
      const id = await raw.visibleHud(10, 10);

      const { chunks, frameBytes } = setTextChunks(id, count);
      const client = await engine.connect('bench-throughput');
      const hud = await client.createHud({ width: 300, height: 40, placement: { x: 10, y: 60 } });
      hud.setRect('bg', { x: 0, y: 0, width: 300, height: 40, fill: '#202030' });
      hud.show();
      await client.sync();

      const conns = {
        discard: await sink.connect('discard'),
        decode: await sink.connect('decode'),
        validate: await sink.connect('validate'),
      };
      const rates: Record<string, number[]> = {
        discard: [],
        decode: [],
        validate: [],
        engineRaw: [],
        engineClient: [],
        frames: [],
        mainUs: [],
        engineUs: [],
        rawCeiling: [],
        clientUs: [],
        clientCeiling: [],
      };
      const cores = os.cpus().length;
      // What the machine's cores could do if every busy thread had work all the time: cores ÷ CPU µs per command.
      const ceiling = (usPerCommand: number) => (cores / usPerCommand) * 1e6;
      const rate = (ms: number) => (count / ms) * 1000;
      const usPerCommand = (ms: number) => (ms * 1000) / count;
      for (let run = -1; run < ctx.runs; run++) {
        const keep = run >= 0; // run -1 warms up every path
        const discard = rate(await conns.discard.push(chunks));
        const decode = rate(await conns.decode.push(chunks));
        const validate = rate(await conns.validate.push(chunks));

        const before = (await raw.request('status')) as { stats: { commands: number; framesPresented: number } };
        const cpuBefore = threadCpuMs(engine.pid);
        let t0 = performance.now();
        for (const c of chunks) await raw.write(c);
        await raw.request('sync');
        const engineRaw = rate(performance.now() - t0);
        const cpu = engineThreadsCpu(engine.pid, cpuBefore, threadCpuMs(engine.pid));
        const after = (await raw.request('status')) as { stats: { commands: number; framesPresented: number } };
        const applied = after.stats.commands - before.stats.commands - 2; // minus the sync and the status
        if (applied !== count) throw new Error(`engine applied ${applied} commands, expected ${count}`);
        if (raw.events.length) throw new Error(`engine reported errors: ${JSON.stringify(raw.events.slice(0, 3))}`);

        const clientCpuBefore = process.cpuUsage();
        const clientEngineBefore = threadCpuMs(engine.pid);
        t0 = performance.now();
        const BLOCK = 2_000;
        for (let i = 0; i < count; i += BLOCK) {
          const end = Math.min(count, i + BLOCK);
          for (let j = i; j < end; j++) hud.setText(SET_TEXT_KEY, setTextFields(j));
          await tick();
        }
        await client.sync();
        const engineClient = rate(performance.now() - t0);
        // This process is the client: the bench's own bookkeeping in the loop is a few ns per command.
        const clientCpu = process.cpuUsage(clientCpuBefore);
        const clientEngine = engineThreadsCpu(engine.pid, clientEngineBefore, threadCpuMs(engine.pid));
        if (keep) {
          rates.discard!.push(discard);
          rates.decode!.push(decode);
          rates.validate!.push(validate);
          rates.engineRaw!.push(engineRaw);
          rates.engineClient!.push(engineClient);
          rates.frames!.push(after.stats.framesPresented - before.stats.framesPresented);
          const clientUs = (clientCpu.user + clientCpu.system) / count;
          rates.clientUs!.push(clientUs);
          if (cpu && clientEngine) {
            rates.mainUs!.push(usPerCommand(cpu.main));
            rates.engineUs!.push(usPerCommand(cpu.engine));
            rates.rawCeiling!.push(ceiling(usPerCommand(cpu.main + cpu.engine)));
            rates.clientCeiling!.push(ceiling(clientUs + usPerCommand(clientEngine.main + clientEngine.engine)));
          }
        }
        ctx.log(
          `  run ${run}: pipe ${(discard / 1e6).toFixed(2)} M/s, decode ${(decode / 1e6).toFixed(2)}, validate ${(validate / 1e6).toFixed(2)}, engine raw ${(engineRaw / 1e6).toFixed(3)}, engine client ${(engineClient / 1e6).toFixed(3)} M/s`,
        );
      }
      for (const c of Object.values(conns)) c.close();
      raw.close();
      await client.close();
      const pipe = { name: 'raw pipe', runs: rates.discard! };
      const B = 'throughput';
      const note = `${count} setText frames of ${frameBytes.toFixed(0)} B`;
      return [
        row(B, 'raw pipe → discarding reader', 'cmd/s', rates.discard!, { note }),
        row(B, 'pipe → msgpack decode (engine decoder)', 'cmd/s', rates.decode!, { baseline: pipe }),
        row(B, 'pipe → decode + validate (parseCommand)', 'cmd/s', rates.validate!, { baseline: pipe }),
        row(B, 'engine, pre-encoded frames (applied, to sync)', 'cmd/s', rates.engineRaw!, {
          baseline: pipe,
          target: { text: '≥ 1 M/s and ≥ 0.5× pipe', ok: (v, r) => v >= 1e6 && (r ?? 0) >= 0.5 },
        }),
        row(B, 'engine, Client API setText (applied, to sync)', 'cmd/s', rates.engineClient!, {
          baseline: pipe,
          target: { text: '≥ 1 M/s and ≥ 0.5× pipe', ok: (v, r) => v >= 1e6 && (r ?? 0) >= 0.5 },
        }),
        row(B, 'client process CPU per Client API setText', 'µs', rates.clientUs!, { note: 'build, encode, write' }),
        row(B, 'frames presented per pre-encoded run', 'frames', rates.frames!, { note: 'paced: at most one render per 8 ms while commands wait' }),
        // Per thread: 1 M/s needs each under 1 µs. Absent without /proc (Wine).
        ...(rates.mainUs!.length
          ? [
              row(B, 'engine main thread CPU per pre-encoded command', 'µs', rates.mainUs!, { note: 'split, decode, validate, forward' }),
              row(B, 'engine thread CPU per pre-encoded command', 'µs', rates.engineUs!, { note: 'decode again, apply, render (paced)' }),
              row(B, `pre-encoded: CPU-bound ceiling on ${cores} cores`, 'cmd/s', rates.rawCeiling!, {
                note: 'cores ÷ (main + engine thread µs per command); the writer is left out',
              }),
              row(B, `Client API: CPU-bound ceiling on ${cores} cores`, 'cmd/s', rates.clientCeiling!, {
                note: 'cores ÷ (client + main + engine thread µs per command)',
              }),
            ]
          : []),
      ];
    } finally {
      await engine.stop();
      await sink.stop();
    }
  },
};
