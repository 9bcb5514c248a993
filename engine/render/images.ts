import { type Canvas, createCanvas, ImageData, type SKRSContext2D } from '@napi-rs/canvas';
import type { ImageElement } from '../../protocol';
import type { DecodedImage } from './decodeImage';

/** A decoded image in the form drawImage takes synchronously: a canvas holding its pixels. */
export interface DrawableImage {
  width: number;
  height: number;
  canvas: Canvas;
}

interface Entry {
  decoded: DecodedImage;
  drawable: DrawableImage | null;
}

/**
 * Decoded pixels by the very byte array an element holds: the main thread
 * decodes and posts the pixels in the same message as the command, so the
 * array arrives here as the same object the element stores, and the entry
 * lives exactly as long as the element does.
 */
const images = new WeakMap<Uint8Array, Entry>();
/** Native bytes of the drawable canvases made since takeImageCanvasBytes() last asked. */
let canvasBytes = 0;

export function takeImageCanvasBytes(): number {
  const bytes = canvasBytes;
  canvasBytes = 0;
  return bytes;
}

export function attachDecoded(data: Uint8Array, decoded: DecodedImage): void {
  images.set(data, { decoded, drawable: null });
}

/** The pixels decoded for these bytes, or null if none were attached. */
export function decodedImage(data: Uint8Array | undefined): DecodedImage | null {
  return data ? (images.get(data)?.decoded ?? null) : null;
}

/** The drawable form of an image source, or null for what draws nothing (no decoded pixels). */
export function drawableImage(source: Pick<ImageElement, 'data'>): DrawableImage | null {
  const entry = source.data ? images.get(source.data) : undefined;
  if (!entry) return null;
  if (!entry.drawable) {
    const { width, height, rgba } = entry.decoded;
    const canvas = createCanvas(width, height);
    canvasBytes += width * height * 4;
    canvas.getContext('2d').putImageData(new ImageData(rgba, width, height), 0, 0);
    entry.drawable = { width, height, canvas };
  }
  return entry.drawable;
}

/** Draws an image element or op; width/height default to the image's own size. */
export function drawImageBox(ctx: SKRSContext2D, box: Pick<ImageElement, 'x' | 'y' | 'width' | 'height' | 'data'>): void {
  const image = drawableImage(box);
  if (image) ctx.drawImage(image.canvas, box.x, box.y, box.width ?? image.width, box.height ?? image.height);
}
