import { z } from 'zod';

/** Everything `panepipe engine` accepts, validated once at start. */
export const EngineOptions = z.object({
  backend: z.enum(['win32', 'headless']),
  endpoint: z.string().min(1),
  stateDir: z.string().min(1),
  /** Keep running with no clients. */
  persistent: z.boolean(),
  /** Exit after this long without clients (autostarted engines); null = run until stopped. */
  idleExitMs: z.number().int().min(0).nullable(),
  fonts: z.array(z.string()),
  monitorsSpec: z.string(),
  testInput: z.boolean(),
});
export type EngineOptions = z.infer<typeof EngineOptions>;
