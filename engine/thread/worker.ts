/**
 * Entry of the engine thread. It owns the platform. All work is synchronous,
 * woken by the platform's wait; between cycles the thread's event loop gets
 * one turn (engine/platform/loopTurns.ts), so memory Node frees from it is
 * freed, but nothing here ever waits on a promise or a Node timer.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { EngineCore } from '../core/engine';
import { hitTest } from '../core/input';
import { Outbox } from '../core/outbox';
import { createPlatform } from '../platform/backends';
import { registerFonts } from '../render/fonts';
import { SkiaRenderer } from '../render/skiaRenderer';
import { GarbageCollector } from '../memory/garbage';
import { keepYoungGenerationsSmall } from '../memory/heap';
import type { FromEngine, ToEngine } from '../channel/messages';
import type { EngineThreadData } from './threadData';

// Again, now that this thread's isolate exists (see heap.ts).
keepYoungGenerationsSmall();
const data = workerData as EngineThreadData;
const wakeFlag = new Int32Array(data.wakeFlag);
const outbox = new Outbox((items: FromEngine[]) => parentPort!.postMessage(items));

registerFonts(data.fonts);
let core: EngineCore | null = null;
const platform = createPlatform(data, wakeFlag, (window, x, y) => (core ? hitTest(core, window, x, y) : 'transparent'));
const renderer = new SkiaRenderer();
core = new EngineCore(platform, outbox, renderer, data.info, data.testInput ? platform.testInput() : null);
const engine = core;
const garbage = new GarbageCollector(() => platform.returnFreedMemory());

let stopping = false;
outbox.send({ t: 'ready', capabilities: engine.capabilities(), monitors: engine.monitors(), wake: platform.wakeHandle() });
outbox.flush();

function drainChannel(): void {
  // Clear the flag first: a post that lands after this sets it again, so the next wait returns at once.
  Atomics.store(wakeFlag, 0, 0);
  for (let msg = receiveMessageOnPort(data.commands); msg; msg = receiveMessageOnPort(data.commands)) {
    const items = msg.message as ToEngine[];
    engine.receive(items);
    for (const item of items) if (item.t === 'close') garbage.clientLeft(item.bytesExchanged);
    if (items.some((item) => item.t === 'shutdown')) stopping = true;
  }
}

platform.run(
  {
    tick() {
      drainChannel();
      engine.runQueued();
      engine.reportApplied();
      engine.handlePlatformEvents();
      // Busy: work is left for the next cycle, or the main thread posted during this one (the flag is set again).
      engine.present(performance.now(), engine.hasQueuedWork || Atomics.load(wakeFlag, 0) !== 0);
      outbox.flush();
      garbage.afterCycle(performance.now(), renderer.takeNativeBytes());
    },
    nextDeadline: () => earliest(engine.nextDeadline(performance.now()), garbage.deadline()),
    stopped: () => stopping,
  },
  () => {
    platform.dispose();
    outbox.send({ t: 'stopped' });
    outbox.flush();
  },
);

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
