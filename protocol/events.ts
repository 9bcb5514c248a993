import { z } from 'zod';
import { ErrorCode } from './errors';
import { Monitor } from './results';
import { SurfaceId } from './primitives';

const MouseButton = z.enum(['left', 'right', 'middle']);

/** Events the engine sends to the session that owns the surface concerned. */
export const EngineEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('elementClicked'), surface: SurfaceId, key: z.string(), button: MouseButton, x: z.number(), y: z.number() }),
  z.object({ type: z.literal('elementHovered'), surface: SurfaceId, key: z.string() }),
  z.object({ type: z.literal('elementLeft'), surface: SurfaceId, key: z.string() }),
  /** After a drag ends; logical position. */
  z.object({ type: z.literal('surfaceMoved'), surface: SurfaceId, x: z.number(), y: z.number() }),
  z.object({ type: z.literal('trayClicked'), tray: SurfaceId, button: MouseButton, double: z.boolean() }),
  z.object({ type: z.literal('trayMenuItemClicked'), tray: SurfaceId, itemId: z.string() }),
  z.object({ type: z.literal('pipSourceClosed'), surface: SurfaceId }),
  z.object({ type: z.literal('anchorTargetClosed'), surface: SurfaceId }),
  z.object({ type: z.literal('fadeCompleted'), surface: SurfaceId, direction: z.enum(['in', 'out']) }),
  z.object({ type: z.literal('dpiChanged'), surface: SurfaceId, dpi: z.number(), scale: z.number() }),
  z.object({ type: z.literal('displayChanged'), monitors: z.array(Monitor) }),
  /** A fire-and-forget command failed; nothing else changed. `seq` is null when the frame could not be read. */
  z.object({ type: z.literal('error'), seq: z.number().nullable(), op: z.string().nullable(), code: ErrorCode, message: z.string() }),
  /** Events were discarded because this session did not read them fast enough. */
  z.object({ type: z.literal('eventsDropped'), count: z.number().int() }),
]);
export type EngineEvent = z.infer<typeof EngineEvent>;

/** Raised by the client library itself, never sent by the engine. */
export const DisconnectedEvent = z.object({
  type: z.literal('disconnected'),
  reason: z.enum(['closed', 'engineShutdown', 'connectionLost', 'refused']),
  message: z.string(),
});
export type DisconnectedEvent = z.infer<typeof DisconnectedEvent>;

/** Client-side, with `connect({ reconnect: true })`: the engine went away and the client is finding a new one. */
export const ReconnectingEvent = z.object({ type: z.literal('reconnecting'), message: z.string() });
export type ReconnectingEvent = z.infer<typeof ReconnectingEvent>;

/** Client-side: a new engine answered and every surface was rebuilt, with the same handles and ids. */
export const ReconnectedEvent = z.object({ type: z.literal('reconnected'), surfaces: z.number().int() });
export type ReconnectedEvent = z.infer<typeof ReconnectedEvent>;

/** Everything `pollEvent()` can return. */
export type PanepipeEvent = EngineEvent | DisconnectedEvent | ReconnectingEvent | ReconnectedEvent;
export type EventType = PanepipeEvent['type'];
