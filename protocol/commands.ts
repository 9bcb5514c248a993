import { z } from 'zod';
import { DrawElement, ImageElement, RectElement, TextElement, TextStyle, bytesOnly } from './elements';
import { LIMITS, overLimit } from './limits';
import { Placement } from './placement';
import { Anchor, Bytes, Color, Coord, DurationMs, ImageBytes, Length, Opacity, Rect, SurfaceId, SurfaceSide, Text, WindowRef } from './primitives';

/** Client-chosen sequence number: names a command in replies and `error` events. */
export const Seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export type Seq = z.infer<typeof Seq>;

/** Key of an element inside one surface's scene. */
export const ElementKey = z.string().min(1).max(256);

const surface = { surface: SurfaceId };
const element = { surface: SurfaceId, key: ElementKey };

/** A tray icon: encoded bytes (PNG, JPEG or BMP) or raw RGBA pixels. */
export const TrayIcon = z.union(
  [
    z.strictObject({ data: ImageBytes }),
    z.strictObject({
      rgba: Bytes,
      width: z.number().int().min(1).max(256),
      height: z.number().int().min(1).max(256),
    }),
  ],
  { error: bytesOnly },
);
export type TrayIcon = z.infer<typeof TrayIcon>;

export const MenuItem = z.strictObject({
  /** Reported back in `trayMenuItemClicked`. */
  id: z.string().min(1).max(256),
  label: Text.optional(),
  enabled: z.boolean().optional(),
  checked: z.boolean().optional(),
  separator: z.boolean().optional(),
});
export type MenuItem = z.infer<typeof MenuItem>;

/** A pip's capture rate: whole frames per second. */
export const CaptureFps = z.number().int().min(1).max(120);

export const SurfaceCorner = z.enum(['matching', 'topLeft']);
export type SurfaceCorner = z.infer<typeof SurfaceCorner>;

export const Backdrop = z.enum(['none', 'mica', 'acrylic', 'tabbed']);

const createCommon = {
  /** Width in logical pixels (1–4096). */
  width: SurfaceSide,
  /** Height in logical pixels (1–4096). */
  height: SurfaceSide,
  /** Where the surface goes: `{ x, y }` in logical desktop pixels, or `{ monitor, anchor, margin }`. Default: the primary monitor's top-left corner. */
  placement: Placement.optional(),
  /** Restore the position last saved under this key, and save moves under it (1–256 characters). */
  positionKey: z.string().min(1).max(256).optional(),
  /** Opacity of the whole surface, 0 (invisible) to 1 (opaque). Default 1. */
  opacity: Opacity.optional(),
};

/** Ops that only change state: these may also travel inside a `batch`. */
export const StateOpFields = {
  // ---- scene (hud, panel) ----
  setText: z.strictObject({ ...element, ...TextElement.shape }),
  setRect: z.strictObject({ ...element, ...RectElement.shape }),
  setImage: z.strictObject({ ...element, ...ImageElement.shape }, { error: bytesOnly }),
  setDraw: z.strictObject({ ...element, ...DrawElement.shape }),
  removeElement: z.strictObject({ ...element }),
  clearElements: z.strictObject({ ...surface }),

  // ---- surface ----
  show: z.strictObject({ ...surface }),
  hide: z.strictObject({ ...surface }),
  setPosition: z.strictObject({ ...surface, x: Coord, y: Coord }),
  setSize: z.strictObject({ ...surface, width: SurfaceSide, height: SurfaceSide }),
  setOpacity: z.strictObject({ ...surface, opacity: Opacity }),
  fadeIn: z.strictObject({ ...surface, durationMs: DurationMs.optional() }),
  fadeOut: z.strictObject({ ...surface, durationMs: DurationMs.optional() }),
  anchorTo: z.strictObject({
    ...surface,
    target: WindowRef,
    anchor: Anchor,
    offsetX: Coord.optional(),
    offsetY: Coord.optional(),
    /**
     * Which corner of the surface sits on the target's anchor point:
     * `matching` (default: the same corner, so the surface lies inside the
     * target) or `topLeft` (winpane's: the surface's top-left, so it lies
     * beside or below the target).
     */
    surfaceCorner: SurfaceCorner.optional(),
    /** Send `surfaceMoved` each time the surface follows its target (as winpane reports every move). */
    reportMoves: z.boolean().optional(),
  }),
  unanchor: z.strictObject({ ...surface }),
  setCaptureExcluded: z.strictObject({ ...surface, excluded: z.boolean() }),
  setBackdrop: z.strictObject({ ...surface, backdrop: Backdrop }),
  destroy: z.strictObject({ ...surface }),

  // ---- pip ----
  setSourceRegion: z.strictObject({ ...surface, ...Rect.shape }),
  /** How often a visible pip copies its source, per second. */
  setCaptureFps: z.strictObject({ ...surface, fps: CaptureFps }),
  clearSourceRegion: z.strictObject({ ...surface }),

  // ---- tray ----
  setTooltip: z.strictObject({ ...surface, tooltip: Text }),
  setTrayIcon: z.strictObject({ ...surface, icon: TrayIcon }),
  /** A panel shown next to the icon on left click; null removes it. */
  setPopup: z.strictObject({ ...surface, panel: SurfaceId.nullable() }),
  setMenu: z.strictObject({ ...surface, items: z.array(MenuItem).max(LIMITS.maxMenuItems, overLimit('maxMenuItems')) }),
} as const;
export type StateOp = keyof typeof StateOpFields;
export const STATE_OPS = Object.keys(StateOpFields) as StateOp[];

function entrySchema<O extends StateOp>(op: O) {
  return StateOpFields[op].extend({ op: z.literal(op) });
}

/** One command inside a batch: a state op without its own seq. */
export type BatchEntry = { [O in StateOp]: { op: O } & z.infer<(typeof StateOpFields)[O]> }[StateOp];
// Built from a mapped list, which zod cannot infer per op; the type above is the same union spelled per op.
export const BatchEntry = z.discriminatedUnion(
  'op',
  STATE_OPS.map(entrySchema) as [ReturnType<typeof entrySchema>, ...ReturnType<typeof entrySchema>[]],
) as unknown as z.ZodType<BatchEntry>;

/**
 * The fields of every op, without `op` and `seq`. The wire command is
 * `{ op, seq, ...fields }`; op and field names equal the client API's.
 */
export const OpFields = {
  // ---- create (reply: { id }) ----
  createHud: z.strictObject({ ...createCommon }),
  createPanel: z.strictObject({
    ...createCommon,
    /** Drag the panel by its drag region. */
    draggable: z.boolean().optional(),
    /** Height of the drag region at the top; absent with draggable means the whole panel. */
    dragHeight: Length.optional(),
  }),
  createPip: z.strictObject({
    ...createCommon,
    sourceWindow: WindowRef,
    sourceRegion: Rect.optional(),
    /** Copies of the source per second while the pip is visible (default 30). */
    captureFps: CaptureFps.optional(),
  }),
  createTray: z.strictObject({ tooltip: Text.optional(), icon: TrayIcon.optional() }),

  ...StateOpFields,

  /** Apply all commands in one frame, or none if any fails. */
  batch: z.strictObject({
    commands: z.array(BatchEntry).min(1).max(LIMITS.maxBatchCommands, overLimit('maxBatchCommands')),
  }),

  // ---- queries (reply) ----
  getPosition: z.strictObject({ ...surface }),
  monitors: z.strictObject({}),
  capabilities: z.strictObject({}),
  measureText: z.strictObject({ ...TextStyle.shape, text: Text }),
  snapshot: z.strictObject({ ...surface }),
  /** PNG of the whole desktop as composed now: every visible surface in z-order (headless). */
  screenshot: z.strictObject({}),
  listSurfaces: z.strictObject({}),
  status: z.strictObject({}),
  /** Barrier: the reply comes once every command sent before it is applied and every surface it changed is presented. */
  sync: z.strictObject({}),
  /** Shut the engine down (what `panepipe stop` sends). */
  stop: z.strictObject({}),

  // ---- test hooks, refused unless the engine runs with --test-input ----
  /** Pointer input at a logical desktop position, through the same hit testing as real input. */
  testPointer: z.strictObject({
    action: z.enum(['move', 'down', 'up', 'click']),
    x: Coord,
    y: Coord,
    button: z.enum(['left', 'right', 'middle']).optional(),
  }),
  testTrayClick: z.strictObject({ ...surface, button: z.enum(['left', 'right', 'middle']), double: z.boolean().optional() }),
  testTrayMenuSelect: z.strictObject({ ...surface, itemId: z.string().min(1).max(256) }),
  /** A virtual foreign window to anchor to or mirror in a pip (reply: { window }). */
  testCreateWindow: z.strictObject({
    x: Coord,
    y: Coord,
    width: SurfaceSide,
    height: SurfaceSide,
    color: Color.optional(),
    title: Text.optional(),
  }),
  testMoveWindow: z.strictObject({ window: WindowRef, x: Coord, y: Coord, width: SurfaceSide.optional(), height: SurfaceSide.optional() }),
  testCloseWindow: z.strictObject({ window: WindowRef }),
  /** Change a virtual foreign window's content (its colour) or minimize/restore it; no event says so, as with a real program's drawing. */
  testUpdateWindow: z.strictObject({ window: WindowRef, color: Color.optional(), minimized: z.boolean().optional() }),
} as const;

export type OpName = keyof typeof OpFields;
export type OpArgs<O extends OpName> = z.infer<(typeof OpFields)[O]>;
export const OP_NAMES = Object.keys(OpFields) as OpName[];

const OP_SET: ReadonlySet<string> = new Set(OP_NAMES);

export function isOpName(op: unknown): op is OpName {
  return typeof op === 'string' && OP_SET.has(op);
}

/** A command as it travels on the wire. */
export type Command = { [O in OpName]: { op: O; seq: Seq } & OpArgs<O> }[OpName];
export type CommandFor<O extends OpName> = Extract<Command, { op: O }>;

/** Wire schema of each op's full command, built once. */
export const CommandSchemas: { [O in OpName]: z.ZodType<CommandFor<O>> } = Object.fromEntries(
  OP_NAMES.map((op) => [op, OpFields[op].extend({ op: z.literal(op), seq: Seq })]),
) as never;
