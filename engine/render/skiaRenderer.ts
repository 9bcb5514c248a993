import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Rect, TextStyle } from '../../protocol';
import type { Renderer, TextMetrics } from '../core/renderer';
import type { ElementWeight, KeyedElement, Scene } from '../core/scene';
import type { Frame } from '../platform/platform';
import { boundsOf } from './bounds';
import { cropFrame, encodePng, scaleFrame } from './compose';
import { elementCost, elementImageBytes, pixelsCost } from './cost';
import { drawElement } from './elements';
import type { DecodedImage } from './decodeImage';
import { attachDecoded, decodedImage, takeImageCanvasBytes } from './images';
import { layoutText } from './text';

interface Target {
  canvas: Canvas;
  ctx: SKRSContext2D;
}

/** Skia (through @napi-rs/canvas) behind the engine's Renderer interface. */
export class SkiaRenderer implements Renderer {
  /**
   * One canvas per surface that has rendered, freed with its surface: what
   * a client's surfaces hold goes when they go, and never outlives them in
   * a shared cache.
   */
  private readonly targets = new Map<Scene, Target>();
  /** Native bytes (frames read back, canvases) allocated since takeNativeBytes() last asked. */
  private nativeBytes = 0;

  /** Native memory allocated since the last call: V8 cannot see it, so the engine thread collects by it. */
  takeNativeBytes(): number {
    const bytes = this.nativeBytes + takeImageCanvasBytes();
    this.nativeBytes = 0;
    return bytes;
  }

  render(scene: Scene, width: number, height: number, scale: number): Frame {
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const { canvas, ctx } = this.targetFor(scene, w, h);
    // reset() clears to transparent and drops the canvas's recorded draw list
    // (it records and replays lazily) along with every leftover state.
    ctx.reset();
    ctx.scale(scale, scale);
    for (const element of scene.drawOrder()) drawElement(ctx, element);
    this.nativeBytes += w * h * 4;
    // data() is a copy of the surface in Skia's own layout: RGBA, premultiplied —
    // exactly a Frame. (getImageData would un-premultiply.)
    return { width: w, height: h, pixels: canvas.data() };
  }

  cropAndScale(frame: Frame, region: Rect | null, width: number, height: number): Frame {
    return scaleFrame(region ? cropFrame(frame, region) : frame, width, height);
  }

  encodePng(frame: Frame): Buffer {
    return encodePng(frame);
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

  weigh(element: KeyedElement, width: number, height: number, scale: number, cap?: number): ElementWeight {
    return { cost: elementCost(element, { width, height, scale, cap }), imageBytes: elementImageBytes(element) };
  }

  pixelsCost(physicalPixels: number): number {
    return pixelsCost(physicalPixels);
  }

  elementBounds(scene: Scene, key: string): { x: number; y: number; width: number; height: number } | null {
    const element = scene.get(key);
    return element ? boundsOf(element) : null;
  }

  release(scene: Scene): void {
    const target = this.targets.get(scene);
    if (!target) return;
    this.targets.delete(scene);
    shrink(target.canvas);
  }

  private targetFor(scene: Scene, width: number, height: number): Target {
    const target = this.targets.get(scene);
    if (target?.canvas.width === width && target.canvas.height === height) return target;
    if (target) shrink(target.canvas);
    const canvas = createCanvas(width, height);
    this.nativeBytes += width * height * 4;
    const created = { canvas, ctx: canvas.getContext('2d') };
    this.targets.set(scene, created);
    return created;
  }
}

/**
 * Free a canvas's pixels now. Resizing replaces its raster at once, while
 * dropping the object would leave them to a garbage collection that cannot
 * see their size (native memory).
 */
function shrink(canvas: Canvas): void {
  canvas.width = 1;
  canvas.height = 1;
}
