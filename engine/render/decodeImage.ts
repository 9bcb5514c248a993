import { createCanvas, loadImage } from '@napi-rs/canvas';
import { LIMITS, PanepipeError } from '../../protocol';
import { imageHeader, reachesEnd } from './imageHeader';

/** Decoded pixels, straight (not premultiplied) RGBA. */
export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

const END_OF = { PNG: 'no IEND chunk', JPEG: 'no EOI marker', BMP: 'shorter than its declared file size' } as const;

/** Larger images are refused from their header, before any pixel is allocated. */
const MAX_IMAGE_PIXELS = LIMITS.maxPixelsPerSurface;

/**
 * Decode PNG, JPEG or BMP bytes, off the engine thread: the canvas library decodes
 * on the libuv pool and finishes on the caller's event loop, which the engine
 * thread never turns. The engine's main thread calls this and sends the
 * pixels along with the command. Throws PanepipeError('imageError'), also
 * for an image cut short.
 */
export async function decodeImage(data: Uint8Array): Promise<DecodedImage> {
  const header = imageHeader(data);
  if (!header) throw new PanepipeError('imageError', 'not a PNG, JPEG or BMP image');
  if (header.width * header.height > MAX_IMAGE_PIXELS) {
    throw new PanepipeError('imageError', `image is ${header.width}×${header.height}; at most ${MAX_IMAGE_PIXELS} pixels are accepted`);
  }
  if (!reachesEnd(data, header.format)) {
    throw new PanepipeError('imageError', `truncated ${header.format}: ${END_OF[header.format]} (the image was cut short)`);
  }
  let image;
  try {
    image = await loadImage(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  } catch (err) {
    throw new PanepipeError('imageError', `cannot decode image: ${(err as Error).message}`);
  }
  if (image.width === 0 || image.height === 0) throw new PanepipeError('imageError', 'image has no pixels');
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return { width: image.width, height: image.height, rgba: ctx.getImageData(0, 0, image.width, image.height).data };
}
