import { z } from 'zod';
import { Backdrop } from './commands';
import { Bytes, Rect, SurfaceId, WindowRef } from './primitives';

export const SurfaceKind = z.enum(['hud', 'panel', 'pip', 'tray']);
export type SurfaceKind = z.infer<typeof SurfaceKind>;

export const Monitor = z.object({
  index: z.number().int(),
  primary: z.boolean(),
  /** Logical bounds on the virtual desktop. */
  bounds: Rect,
  /** Logical bounds minus taskbars. */
  workArea: Rect,
  /** Physical pixel bounds. */
  physicalBounds: Rect,
  dpi: z.number(),
  /** dpi / 96. */
  scale: z.number(),
});
export type Monitor = z.infer<typeof Monitor>;

/** What this engine and platform can really do; each flag is checked at start-up, not assumed. */
export const Capabilities = z.object({
  backend: z.enum(['win32', 'headless']),
  /** `setCaptureExcluded` hides surfaces from screen capture. */
  captureExclusion: z.boolean(),
  /** `setBackdrop` has a visible effect. */
  backdrop: z.boolean(),
  /** How pips show their source: compositor thumbnails, pixel copies, or not at all. */
  pip: z.enum(['thumbnail', 'copy', 'none']),
  tray: z.boolean(),
  perMonitorDpi: z.boolean(),
  /** The engine accepts the test* ops. */
  testInput: z.boolean(),
  backdrops: z.array(Backdrop),
});
export type Capabilities = z.infer<typeof Capabilities>;

export const SurfaceInfo = z.object({
  id: SurfaceId,
  kind: SurfaceKind,
  visible: z.boolean(),
  opacity: z.number(),
  bounds: Rect,
  elements: z.number().int(),
});
export type SurfaceInfo = z.infer<typeof SurfaceInfo>;

export const SessionInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  pid: z.number().int(),
  connectedAt: z.string(),
  surfaces: z.array(SurfaceId),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const EngineStatus = z.object({
  version: z.string(),
  protocol: z.number().int(),
  pid: z.number().int(),
  backend: z.enum(['win32', 'headless']),
  endpoint: z.string(),
  startedAt: z.string(),
  uptimeMs: z.number(),
  persistent: z.boolean(),
  idleExitMs: z.number().nullable(),
  sessions: z.array(SessionInfo),
  surfaces: z.array(SurfaceInfo.extend({ session: z.number().int() })),
  /** Resident memory of the engine process when the status was taken, bytes (what the OS counts: both threads and native memory). */
  rssBytes: z.number().int(),
  /**
   * Counters since start: what the engine thread did, and how many clients
   * have left. `pixelsPresented`: physical pixels of every frame and patch
   * presented (a patch carries only what changed).
   */
  stats: z.object({
    commands: z.number().int(),
    framesPresented: z.number().int(),
    pixelsPresented: z.number().int(),
    sessionsClosed: z.number().int(),
  }),
});
export type EngineStatus = z.infer<typeof EngineStatus>;

const Empty = z.object({});
const Png = z.object({ png: Bytes, width: z.number().int(), height: z.number().int() });

/** Result of each op that replies. Ops absent here are fire-and-forget. */
export const OpResults = {
  createHud: z.object({ id: SurfaceId }),
  createPanel: z.object({ id: SurfaceId }),
  createPip: z.object({ id: SurfaceId }),
  createTray: z.object({ id: SurfaceId }),
  getPosition: Rect,
  monitors: z.object({ monitors: z.array(Monitor) }),
  capabilities: Capabilities,
  measureText: z.object({ width: z.number(), height: z.number(), lines: z.number().int() }),
  snapshot: Png,
  screenshot: Png,
  listSurfaces: z.object({ surfaces: z.array(SurfaceInfo) }),
  status: EngineStatus,
  sync: Empty,
  stop: Empty,
  testCreateWindow: z.object({ window: WindowRef }),
} as const;

export type ReplyingOp = keyof typeof OpResults;
export type OpResult<O extends ReplyingOp> = z.infer<(typeof OpResults)[O]>;

export function isReplyingOp(op: string): op is ReplyingOp {
  return Object.hasOwn(OpResults, op);
}
