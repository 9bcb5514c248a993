/**
 * A load-generating client process (forked with IPC). It opens N connections
 * to an engine, gives each a visible HUD, pre-encodes setText frames, and on
 * command pushes them all (counted up to each connection's `sync`) or floods
 * until told to stop.
 */
import { RawConnection, setTextChunks } from './rawClient';

type Msg =
  | { cmd: 'setup'; endpoint: string; token: string; conns: number; count: number }
  | { cmd: 'go' }
  | { cmd: 'flood' }
  | { cmd: 'stop' }
  | { cmd: 'exit' };

let conns: { raw: RawConnection; chunks: Buffer[] }[] = [];
let flooding = false;
let floodDone: Promise<{ sent: number; drainMs: number }> | null = null;

const send = (m: unknown) => process.send!(m);

async function pushAll(c: { raw: RawConnection; chunks: Buffer[] }): Promise<void> {
  for (const chunk of c.chunks) await c.raw.write(chunk);
  await c.raw.request('sync');
}

process.on('message', (m: Msg) => {
  void (async () => {
    switch (m.cmd) {
      case 'setup': {
        for (let i = 0; i < m.conns; i++) {
          const raw = await RawConnection.open(m.endpoint, m.token, `flood-${process.pid}-${i}`);
          const { id } = (await raw.request('createHud', { width: 200, height: 30, placement: { x: (i % 8) * 210, y: 100 + Math.floor(i / 8) * 35 } })) as {
            id: string;
          };
          raw.send('setRect', { surface: id, key: 'bg', x: 0, y: 0, width: 200, height: 30, fill: '#202030' });
          raw.send('show', { surface: id });
          await raw.request('sync');
          conns.push({ raw, chunks: setTextChunks(id, m.count, 64 * 1024).chunks });
        }
        send({ ready: true });
        break;
      }
      case 'go': {
        const t0 = performance.now();
        await Promise.all(conns.map(pushAll));
        send({ done: true, ms: performance.now() - t0 });
        break;
      }
      case 'flood': {
        flooding = true;
        floodDone = (async () => {
          let sent = 0;
          while (flooding) {
            for (const c of conns) {
              for (const chunk of c.chunks) {
                await c.raw.write(chunk);
                if (!flooding) break;
              }
              sent++;
            }
          }
          const t0 = performance.now();
          await Promise.all(conns.map((c) => c.raw.request('sync')));
          return { sent, drainMs: performance.now() - t0 };
        })();
        send({ flooding: true });
        break;
      }
      case 'stop': {
        flooding = false;
        const { sent, drainMs } = (await floodDone)!;
        send({ stopped: true, rounds: sent, drainMs });
        break;
      }
      case 'exit':
        for (const c of conns) c.raw.close();
        conns = [];
        process.exit(0);
    }
  })().catch((err: Error) => {
    send({ error: err.stack ?? String(err) });
  });
});
send({ started: true });
