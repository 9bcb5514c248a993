import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { CommandSchemas, FrameBatch, FrameDecoder, commandStreamCodec, encodeFrame, forEachWholeFrame, parseCommand } from '../../protocol';
import { Scene } from '../../engine/core/scene';
import { SkiaRenderer } from '../../engine/render/skiaRenderer';
import { setTextChunks, setTextMessage } from '../lib/rawClient';
import { row, type Benchmark, type BenchContext, type Row } from '../lib/report';

/**
 * In-process cost of each stage a setText goes through, per command, with
 * candidate replacements measured next to them (same process, same inputs):
 * the evidence behind the ranked optimisations in docs/performance.md.
 * Figures are ns per command (lower is better); the baseline of each
 * candidate is the stage it would replace.
 */
export const hotpath: Benchmark = {
  name: 'hotpath',
  title: 'Hot path stages, per command (in-process)',
  async run(ctx: BenchContext): Promise<Row[]> {
    const n = ctx.quick ? 20_000 : 50_000;
    const { chunks } = setTextChunks('s1', n, 64 * 1024);
    const mapChunks = setTextChunks('s1', n, 64 * 1024, { maps: true }).chunks;
    const messages = Array.from({ length: n }, (_, i) => setTextMessage('s1', i + 1));
    // As a session decodes: every body's maps and record shapes checked first.
    const streamDecoder = () => new FrameDecoder(undefined, commandStreamCodec(), true);
    const decoded = streamDecoder()
      .push(Buffer.concat(chunks))
      .map((f) => (f as { value: unknown }).value);
    const commands = decoded.map((v) => {
      const p = parseCommand(v);
      if (!p.ok) throw new Error(p.message);
      return p.command;
    });
    const items = commands.map((cmd) => ({ t: 'cmd', session: 1, cmd }));
    const { port1, port2 } = new MessageChannel();
    const scene = new Scene();
    scene.set({ kind: 'rect', key: 'bg', x: 0, y: 0, width: 300, height: 40, fill: '#202030' } as never);
    scene.set({ kind: 'text', key: 'counter', text: 'value 1', x: 8, y: 8, fontSize: 14, color: '#ffffff' } as never);
    const renderer = new SkiaRenderer();
    let sink = 0;

    const stages: Record<string, () => void> = {
      'decode maps (FrameDecoder.push, before)': () => {
        const d = new FrameDecoder();
        for (const c of mapChunks) sink += d.push(c).length;
      },
      'decode records (FrameDecoder.push, today)': () => {
        const d = streamDecoder();
        for (const c of chunks) sink += d.push(c).length;
      },
      'zod safeParse (before; now the fallback)': () => {
        for (const v of decoded) sink += CommandSchemas.setText.safeParse(v).success ? 1 : 0;
      },
      'validate (parseCommand: schema-compiled check)': () => {
        for (const v of decoded) sink += parseCommand(v).ok ? 1 : 0;
      },
      'channel: postMessage + receive (structured clone)': () => {
        for (let i = 0; i < items.length; i += 1000) {
          port1.postMessage(items.slice(i, i + 1000));
          sink += (receiveMessageOnPort(port2)!.message as unknown[]).length;
        }
      },
      'channel: post raw frame bytes': () => {
        for (let i = 0; i < chunks.length; i++) {
          port1.postMessage(chunks[i]);
          sink += (receiveMessageOnPort(port2)!.message as Uint8Array).length;
        }
      },
      'channel: post frame bytes + decode again (today)': () => {
        const codec = commandStreamCodec();
        for (let i = 0; i < chunks.length; i++) {
          port1.postMessage(chunks[i]);
          const frames = receiveMessageOnPort(port2)!.message as Uint8Array;
          forEachWholeFrame(frames, (start, end) => (sink += (codec.unpack(frames, { start, end }) as { seq: number }).seq));
        }
      },
      'channel: copy bytes into a SharedArrayBuffer ring (candidate)': () => {
        const ring = new Uint8Array(new SharedArrayBuffer(1 << 20));
        for (const c of chunks) {
          ring.set(c, 0);
          sink += ring[0]!;
        }
      },
      'encode in client, maps, a frame each (before)': () => {
        for (const m of messages) sink += encodeFrame(m).length;
      },
      'encode in client, into one batch (today)': () => {
        const batch = new FrameBatch(commandStreamCodec);
        for (let i = 0; i < messages.length; i++) {
          batch.add(messages[i]);
          // One take per client tick of 2,000 commands, as the client library sends them.
          if (i % 2000 === 1999) sink += batch.take().length;
        }
        sink += batch.take().length;
      },
    };
    const ns: Record<string, number[]> = {};
    for (let run = -1; run < ctx.runs; run++) {
      for (const [name, fn] of Object.entries(stages)) {
        const t0 = process.hrtime.bigint();
        fn();
        const per = Number(process.hrtime.bigint() - t0) / n;
        if (run >= 0) {
          ns[name] ??= [];
          ns[name].push(per);
        }
      }
    }
    // Render: one frame of the benchmark HUD (rect + text, 300×40), per frame.
    const renderUs: number[] = [];
    for (let run = -1; run < ctx.runs; run++) {
      const frames = 200;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < frames; i++) {
        scene.set({ kind: 'text', key: 'counter', text: `value ${i}`, x: 8, y: 8, fontSize: 14, color: '#ffffff' } as never);
        sink += renderer.render(scene, 300, 40, 1).pixels.length;
      }
      if (run >= 0) renderUs.push(Number(process.hrtime.bigint() - t0) / frames / 1000);
    }
    // Pixel read-back: canvas.data() of a 300×100 canvas vs copying the same bytes.
    const { createCanvas } = await import('@napi-rs/canvas');
    const canvas = createCanvas(300, 100);
    canvas.getContext('2d').fillRect(0, 0, 300, 100);
    const src = Buffer.alloc(300 * 100 * 4);
    const dst = Buffer.alloc(300 * 100 * 4);
    const readback: number[] = [];
    const memcpy: number[] = [];
    for (let run = -1; run < ctx.runs; run++) {
      let t0 = process.hrtime.bigint();
      for (let i = 0; i < 100; i++) sink += canvas.data().length;
      const a = Number(process.hrtime.bigint() - t0) / 100 / 1000;
      t0 = process.hrtime.bigint();
      for (let i = 0; i < 100; i++) sink += src.copy(dst);
      const b = Number(process.hrtime.bigint() - t0) / 100 / 1000;
      if (run >= 0) {
        readback.push(a);
        memcpy.push(b);
      }
    }
    port1.close();
    if (sink === 42) ctx.log('');
    const B = 'hot path';
    const r = (name: string, base?: string) =>
      row(B, name, 'ns/cmd', ns[name]!, base ? { baseline: { name: base.replace(/ \(.*\)$/, ''), runs: ns[base]! } } : {});
    return [
      r('decode maps (FrameDecoder.push, before)'),
      r('decode records (FrameDecoder.push, today)', 'decode maps (FrameDecoder.push, before)'),
      r('zod safeParse (before; now the fallback)'),
      r('validate (parseCommand: schema-compiled check)', 'zod safeParse (before; now the fallback)'),
      r('channel: postMessage + receive (structured clone)'),
      r('channel: post raw frame bytes', 'channel: postMessage + receive (structured clone)'),
      r('channel: post frame bytes + decode again (today)', 'channel: postMessage + receive (structured clone)'),
      r('channel: copy bytes into a SharedArrayBuffer ring (candidate)', 'channel: postMessage + receive (structured clone)'),
      r('encode in client, maps, a frame each (before)'),
      r('encode in client, into one batch (today)', 'encode in client, maps, a frame each (before)'),
      row(B, 'render one 300×40 frame (rect + text), Skia + data()', 'µs', renderUs),
      row(B, 'pixel read-back: canvas.data() of 300×100', 'µs', readback, { baseline: { name: 'memcpy of 120 KB', runs: memcpy } }),
    ];
  },
};
