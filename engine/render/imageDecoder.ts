import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { LIMITS, PanepipeError } from '../../protocol';
import { imageHeaderSize } from './imageHeader';

/**
 * Synchronous image decoding for the engine thread.
 *
 * @napi-rs/canvas 1.0.11 decodes `Image.src = bytes` on the libuv pool and
 * attaches the pixels in a callback on the JS event loop; until then
 * drawImage silently draws nothing. The engine thread blocks in its platform
 * wait and never turns its loop, so it cannot decode by itself. A helper
 * worker with a loop of its own decodes instead: the caller posts the bytes,
 * sleeps in Atomics.wait until the helper flags the reply, and takes the
 * reply with receiveMessageOnPort — no event loop needed on the caller's side.
 */

/** Decoded pixels, straight (not premultiplied) RGBA. */
export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/** Larger images are refused from their header, before any pixel is allocated. */
const MAX_IMAGE_PIXELS = LIMITS.maxPixelsPerSurface;
/** A decode that takes longer is abandoned and its helper replaced. */
const DECODE_TIMEOUT_MS = 30_000;

type Reply = { id: number; width: number; height: number; rgba: Uint8ClampedArray } | { id: number; error: string };

const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { Image, createCanvas } = require(workerData.canvasModule);
const { port } = workerData;
const done = new Int32Array(workerData.signal);
port.on('message', ({ id, data }) => {
  const reply = (message, transfer) => {
    port.postMessage(message, transfer);
    Atomics.store(done, 0, id);
    Atomics.notify(done, 0);
  };
  const fail = (e) => reply({ id, error: String((e && e.message) || e) });
  const image = new Image();
  image.onload = () => {
    try {
      const { width, height } = image;
      const ctx = createCanvas(width, height).getContext('2d');
      ctx.drawImage(image, 0, 0);
      const rgba = ctx.getImageData(0, 0, width, height).data;
      reply({ id, width, height, rgba }, [rgba.buffer]);
    } catch (e) {
      fail(e);
    }
  };
  image.onerror = fail;
  image.src = data;
});
`;

interface Helper {
  worker: Worker;
  port: MessagePort;
  done: Int32Array;
}

let helper: Helper | null = null;
let lastId = 0;

function startHelper(): Helper {
  const signal = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(HELPER_SOURCE, {
    eval: true,
    workerData: { port: port2, signal, canvasModule: require.resolve('@napi-rs/canvas') },
    transferList: [port2],
  });
  // Neither the helper nor its port may keep a process alive.
  worker.unref();
  port1.unref();
  return { worker, port: port1, done: new Int32Array(signal) };
}

function request(data: Uint8Array): Reply {
  helper ??= startHelper();
  const { port, done } = helper;
  const id = ++lastId;
  // A copy of exactly the view: posting a view would clone its whole backing
  // buffer, which for msgpack-decoded bytes is the entire incoming frame.
  const bytes = data.slice();
  port.postMessage({ id, data: bytes }, [bytes.buffer]);
  const deadline = performance.now() + DECODE_TIMEOUT_MS;
  for (;;) {
    // The helper answers in order, so anything else waiting is stale.
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      const reply = m.message as Reply;
      if (reply.id === id) return reply;
    }
    const seen = Atomics.load(done, 0);
    if (seen === id) continue;
    const left = deadline - performance.now();
    if (left <= 0) {
      void helper.worker.terminate();
      helper = null;
      throw new PanepipeError('imageError', `decoding the image took longer than ${DECODE_TIMEOUT_MS} ms`);
    }
    Atomics.wait(done, 0, seen, left);
  }
}

/** Decodes PNG or JPEG bytes synchronously, or throws PanepipeError('imageError'). */
export function decodeImageSync(data: Uint8Array): DecodedImage {
  const size = imageHeaderSize(data);
  if (!size) throw new PanepipeError('imageError', 'not a PNG or JPEG image');
  if (size.width * size.height > MAX_IMAGE_PIXELS) {
    throw new PanepipeError('imageError', `image is ${size.width}×${size.height}; at most ${MAX_IMAGE_PIXELS} pixels are accepted`);
  }
  const reply = request(data);
  if ('error' in reply) throw new PanepipeError('imageError', `cannot decode image: ${reply.error}`);
  if (reply.width === 0 || reply.height === 0) throw new PanepipeError('imageError', 'image has no pixels');
  return reply;
}
