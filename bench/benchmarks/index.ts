import type { Benchmark } from '../lib/report';
import { channel } from './channel';
import { damage } from './damage';
import { hostile } from './hostile';
import { hotpath } from './hotpath';
import { idle } from './idle';
import { latency } from './latency';
import { memory } from './memory';
import { pipCapture } from './pipCapture';
import { renderCost } from './renderCost';
import { roundTrip } from './roundTrip';
import { scaling } from './scaling';
import { soak } from './soak';
import { startup } from './startup';
import { throughput } from './throughput';

/** Every benchmark, in the order the suite runs them (those marked onRequest only when named). */
export const BENCHMARKS: Benchmark[] = [
  hotpath,
  channel,
  throughput,
  roundTrip,
  latency,
  damage,
  renderCost,
  pipCapture,
  idle,
  memory,
  scaling,
  startup,
  soak,
  hostile,
];
