import { z } from 'zod';
import { ErrorInfo } from './errors';
import { EngineEvent } from './events';

/** Answer to a command that replies, correlated by the command's seq. */
export const Reply = z.union([
  z.object({ type: z.literal('reply'), seq: z.number(), result: z.unknown() }),
  z.object({ type: z.literal('reply'), seq: z.number(), error: ErrorInfo }),
]);
export type Reply = z.infer<typeof Reply>;

/** Sent once before the engine closes every pipe on shutdown. */
export const Goodbye = z.object({ type: z.literal('goodbye'), reason: z.string() });
export type Goodbye = z.infer<typeof Goodbye>;

/** Everything the engine sends after the welcome. */
export type EngineMessage = Reply | Goodbye | EngineEvent;
export const EngineMessage = z.union([Reply, Goodbye, EngineEvent]);
