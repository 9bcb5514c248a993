import { createHash } from 'node:crypto';
import { type Canvas, createCanvas, ImageData, type SKRSContext2D } from '@napi-rs/canvas';
import { type ImageElement, PanepipeError } from '../../protocol';
import { BoundedCache } from './boundedCache';
import { decodeImageSync } from './imageDecoder';

/** A decoded image in the form drawImage takes synchronously: a canvas holding its pixels. */
export interface DrawableImage {
  width: number;
  height: number;
  canvas: Canvas;
}

/** Decoded images, by content: the same picture sent twice (a new Uint8Array each time) decodes once. */
const decoded = new BoundedCache<string, DrawableImage | PanepipeError>(256, 32 * 1024 * 1024);
/** Content hash per byte array, so a scene redrawn every frame hashes its images once. */
const hashes = new WeakMap<Uint8Array, string>();

function contentKey(data: Uint8Array): string {
  let key = hashes.get(data);
  if (key === undefined) {
    key = createHash('sha256').update(data).digest('base64');
    hashes.set(data, key);
  }
  return key;
}

function load(data: Uint8Array): DrawableImage | PanepipeError {
  const key = contentKey(data);
  let entry = decoded.get(key);
  if (entry === undefined) {
    try {
      const { width, height, rgba } = decodeImageSync(data);
      const canvas = createCanvas(width, height);
      canvas.getContext('2d').putImageData(new ImageData(rgba, width, height), 0, 0);
      entry = { width, height, canvas };
      decoded.set(key, entry, width * height);
    } catch (e) {
      if (!(e instanceof PanepipeError)) throw e;
      // Failures are remembered too, so a bad image costs one decode, not one per frame.
      entry = e;
      decoded.set(key, entry);
    }
  }
  return entry;
}

/**
 * Decodes (and caches for rendering) encoded image bytes, throwing
 * PanepipeError('imageError') if they are not a usable PNG or JPEG. Call it
 * on the engine thread when an image arrives, to refuse a bad one before
 * applying it; the render that follows reuses the decoded pixels.
 */
export function decodeImageOrThrow(data: Uint8Array): { width: number; height: number } {
  const entry = load(data);
  if (entry instanceof PanepipeError) throw entry;
  return { width: entry.width, height: entry.height };
}

/** The drawable form of an image source, or null for what draws nothing: no bytes, a path, a bad image. */
export function drawableImage(source: Pick<ImageElement, 'data'>): DrawableImage | null {
  if (!source.data) return null;
  const entry = load(source.data);
  return entry instanceof PanepipeError ? null : entry;
}

/** Draws an image element or op; width/height default to the image's own size. */
export function drawImageBox(
  ctx: SKRSContext2D,
  box: Pick<ImageElement, 'x' | 'y' | 'width' | 'height' | 'data'>,
): void {
  const image = drawableImage(box);
  if (image) ctx.drawImage(image.canvas, box.x, box.y, box.width ?? image.width, box.height ?? image.height);
}
