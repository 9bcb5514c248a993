/**
 * The transport baseline: a process that listens on the same kind of
 * endpoint as the engine and, per connection, either discards what it reads,
 * decodes it like the engine (msgpack), decodes and validates it (zod), or
 * echoes it (ping). Run as `node sinkProcess.js <endpoint>`; prints "ready".
 *
 * Wire: the first byte of a connection picks the mode ('d' discard, 'm'
 * decode, 'v' decode + validate, 'e' echo). In the counting modes each run
 * starts with an 8-byte header [0xffffffff][uint32 LE byte count]; when that
 * many bytes have arrived the sink answers one byte.
 */
// First, as in the engine: msgpackr decodes strings the way the engine's does.
import '../../cli/msgpackStrings';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { FrameDecoder, commandStreamCodec, parseCommand } from '../../protocol';

const endpoint = process.argv[2]!;
if (process.platform !== 'win32') fs.rmSync(endpoint, { force: true });

const server = net.createServer((socket) => {
  socket.on('error', () => undefined);
  let mode: string | null = null;
  let header = Buffer.alloc(0);
  let remaining = -1;
  // Each push is a whole record stream from its first frame, as a connection's commands are.
  const streamDecoder = () => new FrameDecoder(Number.MAX_SAFE_INTEGER, commandStreamCodec());
  let decoder = streamDecoder();
  let sink = 0;
  const consume = (data: Buffer) => {
    if (mode === 'm' || mode === 'v') {
      for (const f of decoder.push(data)) {
        if (!f.ok) continue;
        if (mode === 'v') {
          const parsed = parseCommand(f.value);
          if (parsed.ok) sink++;
        } else sink++;
      }
    }
  };
  socket.on('data', (chunk: Buffer) => {
    let buf = chunk;
    if (mode === null) {
      mode = String.fromCharCode(buf[0]!);
      buf = buf.subarray(1);
    }
    if (mode === 'e') {
      if (buf.length) socket.write(buf);
      return;
    }
    while (buf.length > 0) {
      if (remaining < 0) {
        const need = 8 - header.length;
        header = Buffer.concat([header, buf.subarray(0, need)]);
        buf = buf.subarray(need);
        if (header.length < 8) return;
        remaining = header.readUInt32LE(4);
        header = Buffer.alloc(0);
        decoder = streamDecoder();
        continue;
      }
      const take = Math.min(remaining, buf.length);
      consume(buf.subarray(0, take));
      remaining -= take;
      buf = buf.subarray(take);
      if (remaining === 0) {
        remaining = -1;
        socket.write(Buffer.from([sink & 0x7f]));
      }
    }
  });
});
server.listen(endpoint, () => fs.writeFileSync(process.argv[3]!, 'ready'));
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
