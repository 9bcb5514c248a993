// Imported first by the CLI entry, before anything loads V8's heap or the canvas library for the engine.
import { returnCanvasPagesAtOnce } from '../engine/memory/canvasPages';
import { keepYoungGenerationsSmall } from '../engine/memory/heap';
import { shareOneCHeap } from '../engine/platform/linux/cHeaps';

if (process.argv[2] === 'engine') {
  keepYoungGenerationsSmall();
  returnCanvasPagesAtOnce();
  shareOneCHeap();
}
