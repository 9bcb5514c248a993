import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { TextStyle } from '../../protocol';
import type { Renderer, TextMetrics } from '../core/renderer';
import type { Scene } from '../core/scene';
import type { Frame } from '../platform/platform';
import { BoundedCache } from './boundedCache';
import { boundsOf } from './bounds';
import { drawElement } from './elements';
import type { DecodedImage } from './decodeImage';
import { attachDecoded, decodedImage } from './images';
import { layoutText } from './text';

/** Canvases kept for reuse, by physical size: a few surfaces of different sizes render without reallocating. */
const MAX_CANVASES = 8;
const MAX_CANVAS_PIXELS = 32 * 1024 * 1024;

/** Skia (through @napi-rs/canvas) behind the engine's Renderer interface. */
export class SkiaRenderer implements Renderer {
  private readonly canvases = new BoundedCache<string, { canvas: Canvas; ctx: SKRSContext2D }>(MAX_CANVASES, MAX_CANVAS_PIXELS);

  render(scene: Scene, width: number, height: number, scale: number): Frame {
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const { canvas, ctx } = this.canvasFor(w, h);
    // reset() clears to transparent and drops the canvas's recorded draw list
    // (it records and replays lazily) along with every leftover state.
    ctx.reset();
    ctx.scale(scale, scale);
    for (const element of scene.drawOrder()) {
      ctx.save();
      drawElement(ctx, element);
      ctx.restore();
    }
    // data() is a copy of the surface in Skia's own layout: RGBA, premultiplied —
    // exactly a Frame. (getImageData would un-premultiply.)
    return { width: w, height: h, pixels: canvas.data() };
  }

  measureText(text: string, style: TextStyle): TextMetrics {
    const layout = layoutText({ ...style, text });
    return { width: layout.width, height: layout.height, lines: layout.lines.length };
  }

  imagePixels(data: Uint8Array): { width: number; height: number; rgba: Uint8Array } | null {
    const decoded = decodedImage(data);
    if (!decoded) return null;
    const { width, height, rgba } = decoded;
    return { width, height, rgba: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength) };
  }

  adoptImages(images: readonly { data: Uint8Array; image: DecodedImage }[]): void {
    for (const { data, image } of images) attachDecoded(data, image);
  }

  elementBounds(scene: Scene, key: string): { x: number; y: number; width: number; height: number } | null {
    const element = scene.get(key);
    return element ? boundsOf(element) : null;
  }

  private canvasFor(width: number, height: number): { canvas: Canvas; ctx: SKRSContext2D } {
    const key = `${width}x${height}`;
    let entry = this.canvases.get(key);
    if (!entry) {
      const canvas = createCanvas(width, height);
      entry = { canvas, ctx: canvas.getContext('2d') };
      this.canvases.set(key, entry, width * height);
    }
    return entry;
  }
}
