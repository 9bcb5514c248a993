/**
 * The engine-thread half of the channel model (benchmarks/channel.ts): the
 * same loop shape as engine/thread/worker.ts — clear the wake flag, drain
 * the port with receiveMessageOnPort, apply, sleep in Atomics.wait — with
 * "apply" reduced to what the setText handler does to the scene (copy the
 * fields into an element, store it by key).
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { commandStreamCodec, forEachWholeFrame, type StreamCodec } from '../../protocol';

interface Data {
  port: MessagePort;
  shared: SharedArrayBuffer;
  /** The chunks are a record stream (else plain maps). */
  records: boolean;
}
const { port, shared, records } = workerData as Data;
/** [0] wake flag, [1] commands applied, [2] stop */
const state = new Int32Array(shared);
const elements = new Map<string, unknown>();
const codec: StreamCodec | undefined = records ? commandStreamCodec() : undefined;
let applied = 0;

function apply(cmd: Record<string, unknown>): void {
  const { op: _op, seq: _seq, surface, ...fields } = cmd;
  elements.set(`${String(surface)}\u0000${String(fields.key)}`, { kind: 'text', ...fields });
  applied++;
}

function bytes(frames: Uint8Array): void {
  forEachWholeFrame(frames, (start, end) => apply(codec!.unpack(frames, { start, end }) as Record<string, unknown>));
}

for (;;) {
  Atomics.store(state, 0, 0);
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
    const msg = m.message as Uint8Array | { cmd: Record<string, unknown> }[];
    if (msg instanceof Uint8Array) bytes(msg);
    else for (const item of msg) apply(item.cmd);
  }
  Atomics.store(state, 1, applied);
  Atomics.notify(state, 1);
  if (Atomics.load(state, 2) === 1) break;
  Atomics.wait(state, 0, 0);
}
port.close();
