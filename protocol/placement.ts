import { z } from 'zod';
import { Anchor, Coord, Length } from './primitives';

/** Absolute logical position of the surface's top-left corner on the virtual desktop. */
export const AbsolutePlacement = z.strictObject({ x: Coord, y: Coord });

/** Pinned to an anchor point of a monitor's work area (or its whole rectangle), `margin` logical pixels inside it. */
export const AnchoredPlacement = z.strictObject({
  /** Index into `monitors()`; 0 is the primary. Defaults to 0. */
  monitor: z.number().int().min(0).max(63).optional(),
  anchor: Anchor,
  margin: Length.optional(),
  /** `workArea` (default: clear of the taskbar) or `monitor`: the monitor's full bounds, as winpane places. */
  area: z.enum(['workArea', 'monitor']).optional(),
});

export const Placement = z.union([AbsolutePlacement, AnchoredPlacement]);
export type Placement = z.infer<typeof Placement>;
