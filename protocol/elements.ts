import { z } from 'zod';
import { LIMITS, overLimit } from './limits';
import { Color, Coord, ImageBytes, Length, Opacity, Text } from './primitives';

/** Fields every scene element shares. */
const ElementBase = {
  /** Draw order, an integer from -1,000,000 to 1,000,000; higher is on top, equal z keeps insertion order. Default 0. */
  z: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  /** Panels only: the element takes clicks and hover and produces element events. Default false. */
  interactive: z.boolean().optional(),
  /** Opacity of this element, 0 to 1. Default 1. */
  opacity: Opacity.optional(),
};

export const FontWeight = z.union([z.enum(['normal', 'bold']), z.number().int().min(100).max(900)]);
export const FontStyle = z.enum(['normal', 'italic']);

/** How text is set; shared by text elements, draw `text` ops and measureText. */
export const TextStyle = z.strictObject({
  /** A font family name (1–256 characters); the platform's sans-serif by default. */
  fontFamily: z.string().min(1).max(256).optional(),
  /** Size in logical pixels, 1–1000. Default 14. */
  fontSize: z.number().finite().min(1).max(1000).optional(),
  /** `normal`, `bold`, or a CSS weight 100–900. Default `normal`. */
  fontWeight: FontWeight.optional(),
  /** `normal` or `italic`. Default `normal`. */
  fontStyle: FontStyle.optional(),
  /** Wrap lines at this width, logical pixels (0–1,000,000). Default: no wrapping. */
  wrapWidth: Length.optional(),
  /** Line height as a multiple of fontSize, 0.5–10. Default 1.25. */
  lineHeight: z.number().finite().min(0.5).max(10).optional(),
});
export type TextStyle = z.infer<typeof TextStyle>;

export const TextAlign = z.enum(['left', 'center', 'right']);

/** A run of text at a point; shared by text elements and draw `text` ops. */
const TextRun = {
  ...TextStyle.shape,
  /** The text (at most LIMITS.maxTextLength characters); `\n` starts a new line. */
  text: Text,
  /** Left (or, with `align`, anchor) edge in logical pixels from the surface's left. */
  x: Coord,
  /** Top edge in logical pixels from the surface's top. */
  y: Coord,
  /** Any CSS colour (`white`, `#rrggbb`, `rgba(…)`, `hsl(…)`). Default white. */
  color: Color.optional(),
  /** How lines sit against `x`: `left`, `center` or `right`. Default `left`. */
  align: TextAlign.optional(),
};

export const TextElement = z.strictObject({
  ...ElementBase,
  ...TextRun,
  /** With wrapWidth: cut the text to one line ending in "…". */
  ellipsis: z.boolean().optional(),
});
export type TextElement = z.infer<typeof TextElement>;

export const RectElement = z.strictObject({
  ...ElementBase,
  /** Left edge, logical pixels from the surface's left. */
  x: Coord,
  /** Top edge, logical pixels from the surface's top. */
  y: Coord,
  /** Width in logical pixels (0–1,000,000). */
  width: Length,
  /** Height in logical pixels (0–1,000,000). */
  height: Length,
  /** Any CSS colour. Default: no fill. */
  fill: Color.optional(),
  /** Radius of rounded corners, logical pixels. Default 0. */
  cornerRadius: Length.optional(),
  /** Any CSS colour for the border. Default: no border. */
  borderColor: Color.optional(),
  /** Border width in logical pixels. Default 1 when borderColor is set. */
  borderWidth: Length.optional(),
});
export type RectElement = z.infer<typeof RectElement>;

/**
 * Images cross the wire as their encoded bytes: the engine opens no file a
 * client names. A `path` (what the client library and `panepipe host` read
 * for the app) gets this message instead of a bare "unrecognized key".
 */
export const IMAGES_AS_BYTES = 'images travel as bytes in "data": the engine opens no file a client names (the client library reads "path" in its own process)';

/** The error option of a schema that carries an image: a `path` key is named as such. */
export function bytesOnly(issue: { code?: string; keys?: string[]; input?: unknown }): string | undefined {
  const named =
    issue.code === 'unrecognized_keys'
      ? issue.keys?.includes('path')
      : issue.code === 'invalid_union' && typeof issue.input === 'object' && issue.input !== null && 'path' in issue.input;
  return named ? IMAGES_AS_BYTES : undefined;
}

/** Where an image goes, and its encoded bytes (PNG, JPEG or BMP). */
const ImagePlacement = {
  x: Coord,
  y: Coord,
  /** Defaults to the image's own size. */
  width: Length.optional(),
  height: Length.optional(),
  data: ImageBytes,
};

export const ImageElement = z.strictObject({ ...ElementBase, ...ImagePlacement }, { error: bytesOnly });
export type ImageElement = z.infer<typeof ImageElement>;

// ---- draw operations -------------------------------------------------------

const GradientStop = z.strictObject({ offset: z.number().min(0).max(1), color: Color });

export const LinearGradient = z.strictObject({
  type: z.literal('linearGradient'),
  x0: Coord,
  y0: Coord,
  x1: Coord,
  y1: Coord,
  stops: z.array(GradientStop).min(1).max(64),
});
export const RadialGradient = z.strictObject({
  type: z.literal('radialGradient'),
  x0: Coord,
  y0: Coord,
  r0: Length,
  x1: Coord,
  y1: Coord,
  r1: Length,
  stops: z.array(GradientStop).min(1).max(64),
});
/** A solid color or a gradient. */
export const Paint = z.union([Color, LinearGradient, RadialGradient]);
export type Paint = z.infer<typeof Paint>;

const Stroke = {
  fill: Paint.optional(),
  stroke: Paint.optional(),
  strokeWidth: Length.optional(),
  lineCap: z.enum(['butt', 'round', 'square']).optional(),
  lineJoin: z.enum(['miter', 'round', 'bevel']).optional(),
  dash: z.array(Length).max(16).optional(),
};

/** One step of a path; angles are in radians, as in Canvas 2D. */
export const PathCommand = z.discriminatedUnion('cmd', [
  z.strictObject({ cmd: z.literal('moveTo'), x: Coord, y: Coord }),
  z.strictObject({ cmd: z.literal('lineTo'), x: Coord, y: Coord }),
  z.strictObject({ cmd: z.literal('quadTo'), cpx: Coord, cpy: Coord, x: Coord, y: Coord }),
  z.strictObject({ cmd: z.literal('bezierTo'), cp1x: Coord, cp1y: Coord, cp2x: Coord, cp2y: Coord, x: Coord, y: Coord }),
  z.strictObject({
    cmd: z.literal('arc'),
    x: Coord,
    y: Coord,
    radius: Length,
    startAngle: z.number().finite(),
    endAngle: z.number().finite(),
    counterclockwise: z.boolean().optional(),
  }),
  z.strictObject({ cmd: z.literal('close') }),
]);
export type PathCommand = z.infer<typeof PathCommand>;

/** A draw op that places an image, by its encoded bytes. */
export const DrawImageOp = z.strictObject({ type: z.literal('image'), ...ImagePlacement }, { error: bytesOnly });

export const DrawOp = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('path'),
    /** Structured commands, or SVG path data in `d`; at least one. */
    commands: z.array(PathCommand).max(LIMITS.maxDrawOps, overLimit('maxDrawOps')).optional(),
    d: Text.optional(),
    ...Stroke,
  }),
  z.strictObject({ type: z.literal('line'), x1: Coord, y1: Coord, x2: Coord, y2: Coord, ...Stroke }),
  z.strictObject({
    type: z.literal('polyline'),
    points: z.array(Coord).max(2 * LIMITS.maxDrawOps, overLimit('maxDrawOps')),
    closed: z.boolean().optional(),
    ...Stroke,
  }),
  z.strictObject({ type: z.literal('rect'), x: Coord, y: Coord, width: Length, height: Length, cornerRadius: Length.optional(), ...Stroke }),
  z.strictObject({ type: z.literal('ellipse'), cx: Coord, cy: Coord, rx: Length, ry: Length, ...Stroke }),
  z.strictObject({
    type: z.literal('arc'),
    cx: Coord,
    cy: Coord,
    radius: Length,
    startAngle: z.number().finite(),
    endAngle: z.number().finite(),
    counterclockwise: z.boolean().optional(),
    ...Stroke,
  }),
  z.strictObject({
    type: z.literal('text'),
    ...TextRun,
  }),
  DrawImageOp,
]);
export type DrawOp = z.infer<typeof DrawOp>;

export const DrawElement = z.strictObject({
  ...ElementBase,
  /** Origin the ops are drawn relative to. */
  x: Coord.optional(),
  y: Coord.optional(),
  /** Clip box and hit box; without it the element is unclipped and its hit box is the ops' bounds. */
  width: Length.optional(),
  height: Length.optional(),
  // Counted before any op is parsed: refusing a frame of a million points must not cost a walk over them.
  ops: z
    .array(z.unknown())
    .max(LIMITS.maxDrawOps, overLimit('maxDrawOps'))
    .refine((ops) => drawPoints(ops) <= LIMITS.maxPointsPerDraw, overLimit('maxPointsPerDraw'))
    .pipe(z.array(DrawOp)),
});

/** Points of a draw element's ops, as sent: polyline points and path commands. */
function drawPoints(ops: readonly unknown[]): number {
  let points = 0;
  for (const o of ops) {
    const { points: flat, commands } = (o ?? {}) as { points?: unknown; commands?: unknown };
    if (Array.isArray(flat)) points += flat.length / 2;
    if (Array.isArray(commands)) points += commands.length;
  }
  return points;
}
export type DrawElement = z.infer<typeof DrawElement>;

/** A stored element as the scene graph holds it. */
export type Element =
  | ({ kind: 'text' } & TextElement)
  | ({ kind: 'rect' } & RectElement)
  | ({ kind: 'image' } & ImageElement)
  | ({ kind: 'draw' } & DrawElement);
export type ElementKind = Element['kind'];
