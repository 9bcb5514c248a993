/**
 * What the client API takes where it differs from the wire: an image may be
 * named by a file, which the client library reads in the app's own process
 * (relative to its working directory) and sends as bytes. The engine opens
 * no file a client names.
 */
import { z } from 'zod';
import { BatchEntry, DrawImageOp, DrawOp, LIMITS, OpFields, TrayIcon, overLimit, type OpArgs, type OpName } from '../protocol';

/** An image file for the client library to read. */
const ImageFile = z.string().min(1).max(4096);
const fromFile = { path: ImageFile };

/** A draw op: as on the wire, or an `image` op naming a file. */
export const AppDrawOp = z.union([DrawOp, DrawImageOp.omit({ data: true }).extend(fromFile)]);
export type AppDrawOp = z.infer<typeof AppDrawOp>;

/** A tray icon: as on the wire, or `{ path }`. */
export const AppTrayIcon = z.union([TrayIcon, z.strictObject(fromFile)]);
export type AppTrayIcon = z.infer<typeof AppTrayIcon>;

const SetImageFromFile = OpFields.setImage.omit({ data: true }).extend(fromFile);
const SetDraw = OpFields.setDraw.extend({ ops: z.array(AppDrawOp).max(LIMITS.maxDrawOps, overLimit('maxDrawOps')) });
const SetTrayIcon = OpFields.setTrayIcon.extend({ icon: AppTrayIcon });

/** One command of a `batch`: as on the wire, or one of the image ops naming a file. */
export const AppBatchEntry = z.union([
  BatchEntry,
  SetImageFromFile.extend({ op: z.literal('setImage') }),
  SetDraw.extend({ op: z.literal('setDraw') }),
  SetTrayIcon.extend({ op: z.literal('setTrayIcon') }),
]);
export type AppBatchEntry = z.infer<typeof AppBatchEntry>;

/** The ops whose fields may name image files. */
export const AppOpFields = {
  createTray: OpFields.createTray.extend({ icon: AppTrayIcon.optional() }),
  setImage: z.union([OpFields.setImage, SetImageFromFile]),
  setDraw: SetDraw,
  setTrayIcon: SetTrayIcon,
  batch: OpFields.batch.extend({ commands: z.array(AppBatchEntry).min(1).max(LIMITS.maxBatchCommands, overLimit('maxBatchCommands')) }),
};

/** The fields of an op as the client API takes them. */
export type AppArgs<O extends OpName> = O extends keyof typeof AppOpFields ? z.infer<(typeof AppOpFields)[O]> : OpArgs<O>;

/** An op's options as a surface handle takes them: without the surface id and element key (each form of a union on its own). */
export type HandleOpts<O extends OpName> = AppArgs<O> extends infer A ? (A extends unknown ? Omit<A, 'surface' | 'key'> : never) : never;

/** Options of `createHud`: size, placement, opacity (each field documented where the schema declares it). */
export type HudOptions = AppArgs<'createHud'>;
/** Options of `createPanel`: those of a HUD, and whether it can be dragged. */
export type PanelOptions = AppArgs<'createPanel'>;
/** Options of `createPip`: those of a HUD, and the window it shows. */
export type PipOptions = AppArgs<'createPip'>;
/** Options of `createTray`: tooltip and icon. */
export type TrayOptions = AppArgs<'createTray'>;
/** Options of `setText`: the text, where it goes and how it is set. */
export type TextOptions = HandleOpts<'setText'>;
/** Options of `setRect`: a rectangle, filled and/or bordered. */
export type RectOptions = HandleOpts<'setRect'>;
/** Options of `setImage`: an image by its bytes (`data`) or a file this process reads (`path`). */
export type ImageOptions = HandleOpts<'setImage'>;
/** Options of `setDraw`: vector draw ops. */
export type DrawOptions = HandleOpts<'setDraw'>;
/** Options of `measureText`: the text and its style. */
export type MeasureTextOptions = AppArgs<'measureText'>;
