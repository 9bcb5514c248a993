import { z } from 'zod';
import { Capabilities } from './results';
import { ErrorCode } from './errors';

/** Bumped on any incompatible wire change (2: commands travel as a record stream). */
export const PROTOCOL_VERSION = 2;

/** First frame from a client. */
export const Hello = z.strictObject({
  hello: z.literal('panepipe'),
  protocol: z.number().int(),
  client: z.string().max(256),
  pid: z.number().int(),
  token: z.string().max(256),
});
export type Hello = z.infer<typeof Hello>;

/** The engine's answer to a good hello. */
export const Welcome = z.object({
  welcome: z.literal('panepipe'),
  protocol: z.number().int(),
  engineVersion: z.string(),
  session: z.number().int(),
  backend: z.enum(['win32', 'headless']),
  capabilities: Capabilities,
});
export type Welcome = z.infer<typeof Welcome>;

/** The engine's answer to a bad hello, followed by closing the pipe. */
export const Refused = z.object({ refused: ErrorCode, reason: z.string() });
export type Refused = z.infer<typeof Refused>;
