import { encodeFrame } from '../../protocol';
import { sharedEngine, waitFor } from '../helpers/engine';
import { rawClient } from '../helpers/rawClient';

const shared = sharedEngine();

it('a flooding client waits at its own socket until the engine has caught up; a well-behaved one does not wait behind it', async () => {
  const { engine, client: bystander } = shared;
  const flooder = await rawClient(engine);
  // Requests cheap to read and validate but slower to run: without flow control the engine would read them all at once.
  const requests = 30_000;
  const text = (i: number) => [i, i * 7919, i * 104729].map((n) => (n % 1_000_003).toString(36)).join(' ');
  const flood = Buffer.concat(Array.from({ length: requests }, (_, i) => encodeFrame({ op: 'measureText', seq: i + 1, text: text(i) })));
  const drained = new Promise((r) => flooder.socket.once('drain', r));
  expect(flooder.socket.write(flood)).toBe(false);

  await bystander.sync();
  expect(flooder.received.length).toBeLessThan(requests);

  // The flood leaves the flooder's own buffer only as fast as the engine answers it.
  await drained;
  const answeredAtDrain = flooder.received.length;
  expect(answeredAtDrain).toBeGreaterThan(requests / 2);
  await waitFor(() => flooder.received.length === requests, 60_000);
  flooder.close();
}, 90_000);
