import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEngine } from '../lib/engine';
import { RawConnection } from '../lib/rawClient';
import { waitForFile } from '../lib/sink';
import { row, type Benchmark, type BenchContext, type Row } from '../lib/report';

/**
 * 7. Start-up. Engine process spawn → connection file written (it listens
 * before writing it) → first handshake completed; then, from a client's
 * connect(): handshake, createHud + setRect + setText + show, answered
 * `sync` (the engine thread replies after presenting, so this is the first
 * frame presented). Baseline: spawn of a bare node process until it listens
 * on a Unix socket.
 */
export const startup: Benchmark = {
  name: 'startup',
  title: 'Start-up: spawn to accepting, connect to first frame',
  async run(ctx: BenchContext): Promise<Row[]> {
    const runs = ctx.runs;
    const listening: number[] = [];
    const accepting: number[] = [];
    const bare: number[] = [];
    const handshake: number[] = [];
    const firstFrame: number[] = [];
    for (let run = -1; run < runs; run++) {
      bare.push(await bareListen(ctx.launch.node));
      const t0 = performance.now();
      const engine = await startEngine(ctx.launch);
      try {
        const raw = await RawConnection.open(engine.endpoint, engine.token());
        const acceptedAt = performance.now() - t0;
        raw.close();
        const c0 = performance.now();
        const client = await engine.connect('bench-startup');
        const c1 = performance.now();
        const hud = await client.createHud({ width: 300, height: 80, placement: { x: 50, y: 50 } });
        hud.setRect('bg', { x: 0, y: 0, width: 300, height: 80, fill: '#14141ec8', cornerRadius: 8 });
        hud.setText('msg', { text: 'Hello', x: 16, y: 16, fontSize: 18 });
        hud.show();
        await client.sync();
        const c2 = performance.now();
        await client.close();
        if (run >= 0) {
          listening.push(engine.startMs);
          accepting.push(acceptedAt);
          handshake.push(c1 - c0);
          firstFrame.push(c2 - c0);
        }
      } finally {
        await engine.stop();
      }
    }
    bare.shift();
    const B = 'start-up';
    return [
      row(B, 'spawn → connection file (listening)', 'ms', listening, { baseline: { name: 'bare node listen', runs: bare } }),
      row(B, 'spawn → first handshake done', 'ms', accepting, { baseline: { name: 'bare node listen', runs: bare } }),
      row(B, 'connect() (handshake, warm engine)', 'ms', handshake),
      row(B, 'connect() → first frame presented', 'ms', firstFrame, { baseline: { name: 'connect()', runs: handshake } }),
    ];
  },
};

/** ms from spawning node to it listening on a socket (it then writes a file, as the engine writes its connection file). */
async function bareListen(node: string): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ppbare-'));
  const sock = process.platform === 'win32' ? `\\\\.\\pipe\\ppbare-${process.pid}-${Date.now()}` : path.join(dir, 's');
  const ready = path.join(dir, 'ready');
  const t0 = performance.now();
  const script = `require('net').createServer().listen(${JSON.stringify(sock)}, () => require('fs').writeFileSync(${JSON.stringify(ready)}, 'ready'))`;
  const p = spawn(node, ['-e', script], { stdio: 'ignore' });
  await waitForFile(ready, p, 'bare node');
  const ms = performance.now() - t0;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await exited;
  fs.rmSync(dir, { recursive: true, force: true });
  return ms;
}
