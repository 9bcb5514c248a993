import * as net from 'node:net';
import { FrameDecoder, PROTOCOL_VERSION, PanepipeError, Refused, Welcome, encodeFrame, type Hello } from '../protocol';
import { NoEngineError } from './noEngine';

export interface OpenConnection {
  socket: net.Socket;
  welcome: Welcome;
  decoder: FrameDecoder;
  /** Frames that arrived in the same read as the welcome. */
  early: unknown[];
}

/**
 * Connect and complete the handshake, sending the hello only once `verify`
 * accepts who answered. Throws NoEngineError, verify's error or a
 * PanepipeError refusal.
 */
export function openConnection(
  endpoint: string,
  hello: Omit<Hello, 'hello' | 'protocol'>,
  timeoutMs: number,
  verify: (socket: net.Socket) => Promise<void>,
): Promise<OpenConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(endpoint);
    const decoder = new FrameDecoder();
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new NoEngineError(`no handshake answer from ${endpoint} within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      verify(socket).then(() => {
        if (!settled) socket.write(encodeFrame({ hello: 'panepipe', protocol: PROTOCOL_VERSION, ...hello }));
      }, fail);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const missing = err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'EPIPE' || err.code === 'ECONNRESET';
      fail(missing ? new NoEngineError(`no engine at ${endpoint} (${err.code})`) : err);
    });
    socket.on('close', () => fail(new NoEngineError(`engine at ${endpoint} closed the connection during the handshake`)));
    const onData = (chunk: Buffer) => {
      const frames = decoder.push(chunk);
      if (frames.length === 0 || settled) return;
      const [first, ...rest] = frames;
      if (!first!.ok) return fail(new PanepipeError('badFrame', first!.message));
      const refused = Refused.safeParse(first!.value);
      if (refused.success) return fail(new PanepipeError(refused.data.refused, `engine refused the connection: ${refused.data.reason}`));
      const welcome = Welcome.safeParse(first!.value);
      if (!welcome.success) return fail(new PanepipeError('protocolMismatch', 'engine answered the hello with something other than a welcome'));
      settled = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.removeAllListeners('close');
      socket.removeAllListeners('error');
      resolve({ socket, welcome: welcome.data, decoder, early: rest.filter((f) => f.ok).map((f) => (f as { value: unknown }).value) });
    };
    socket.on('data', onData);
  });
}
