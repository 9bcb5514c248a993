/**
 * The engine-thread half of the channel model (benchmarks/channel.ts): the
 * same loop shape as engine/thread/worker.ts — clear the wake flag, drain
 * the port with receiveMessageOnPort, apply, sleep in Atomics.wait — with
 * "apply" reduced to what the setText handler does to the scene (copy the
 * fields into an element, store it by key).
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { Packr } from 'msgpackr';
import { decodeWholeFrames } from '../../protocol';

interface Data {
  port: MessagePort;
  shared: SharedArrayBuffer;
  structures: object[] | null;
}
const { port, shared, structures } = workerData as Data;
/** [0] wake flag, [1] commands applied, [2] stop */
const state = new Int32Array(shared);
const elements = new Map<string, unknown>();
const records = structures ? new Packr({ useRecords: true, mapsAsObjects: true, structures }) : null;
let applied = 0;

function apply(cmd: Record<string, unknown>): void {
  const { op: _op, seq: _seq, surface, ...fields } = cmd;
  elements.set(`${String(surface)}\u0000${String(fields.key)}`, { kind: 'text', ...fields });
  applied++;
}

function bytes(u8: Uint8Array): void {
  const buf = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
  if (records) {
    for (let off = 0; off < buf.length; ) {
      const len = buf.readUInt32LE(off);
      apply(records.unpack(buf.subarray(off + 4, off + 4 + len)) as Record<string, unknown>);
      off += 4 + len;
    }
  } else {
    decodeWholeFrames(buf, (value) => apply(value as Record<string, unknown>));
  }
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
