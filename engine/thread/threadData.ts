import type { MessagePort } from 'node:worker_threads';
import type { BackendName } from '../platform/platform';
import type { EngineInfo } from '../core/context';

/** What the main thread hands the engine thread at start. */
export interface EngineThreadData {
  backend: BackendName;
  /** Int32Array over a SharedArrayBuffer: [0] = wake pending. */
  wakeFlag: SharedArrayBuffer;
  /** MessagePort the engine thread drains with receiveMessageOnPort. */
  commands: MessagePort;
  monitorsSpec: string;
  testInput: boolean;
  fonts: string[];
  info: EngineInfo;
}
