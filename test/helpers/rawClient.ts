import * as fs from 'node:fs';
import * as net from 'node:net';
import { FrameDecoder, PROTOCOL_VERSION, connectionFilePath, encodeFrame } from '../../protocol';
import type { TestEngine } from './engine';

/** A hand-driven connection: real handshake, then whatever bytes a test wants to send. */
export interface RawClient {
  socket: net.Socket;
  /** Messages received after the welcome. */
  received: unknown[];
  send(message: unknown): void;
  close(): void;
}

export async function rawClient(engine: TestEngine, opts: { read?: boolean } = {}): Promise<RawClient> {
  const { token } = JSON.parse(fs.readFileSync(connectionFilePath(engine.endpoint, { stateDir: engine.stateDir }), 'utf8')) as { token: string };
  const socket = net.connect(engine.endpoint);
  await new Promise((r) => socket.once('connect', r));
  const decoder = new FrameDecoder(Number.MAX_SAFE_INTEGER);
  const received: unknown[] = [];
  let welcomed!: () => void;
  const welcome = new Promise<void>((r) => (welcomed = r));
  let greeted = false;
  const onData = (d: Buffer) => {
    for (const f of decoder.push(d)) {
      if (!f.ok) continue;
      if (!greeted) {
        greeted = true;
        welcomed();
        // A client that never reads: stop taking bytes off the socket after the welcome.
        if (opts.read === false) socket.pause();
      } else received.push(f.value);
    }
  };
  socket.on('data', onData);
  socket.on('error', () => undefined);
  socket.write(encodeFrame({ hello: 'panepipe', protocol: PROTOCOL_VERSION, client: 'raw', pid: process.pid, token }));
  await welcome;
  return {
    socket,
    received,
    send: (m) => socket.write(encodeFrame(m, Number.MAX_SAFE_INTEGER)),
    close: () => socket.destroy(),
  };
}
