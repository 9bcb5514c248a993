import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Rect, TextStyle } from '../../protocol';
import type { Renderer, TextMetrics } from '../core/renderer';
import type { ElementWeight, KeyedElement, Scene } from '../core/scene';
import type { Frame, FrameUpdate } from '../platform/platform';
import { boundsOf } from './bounds';
import { cropFrame, encodePng, premultiply, scaleFrame } from './compose';
import { boxArea, damageOf, elementPixels, intersects, type PixelBox, redrawBox, unionBox } from './damage';
import { elementCost, elementImageBytes, pixelsCost } from './cost';
import { drawElement } from './elements';
import type { DecodedImage } from './decodeImage';
import { attachDecoded, decodedImage, takeImageCanvasBytes } from './images';
import { layoutText } from './text';

interface Target {
  canvas: Canvas;
  ctx: SKRSContext2D;
  /** The scale its pixels were drawn at. */
  scale: number;
  /** Pixels redrawn since the last renderChanges: what the screen does not show yet. */
  unpresented: PixelBox | null;
}

/**
 * Damage above this share of the surface redraws and reads back all of it:
 * one pass over everything then costs less than clipping, and the read-back
 * of the whole surface is the cheaper copy (no un-premultiplying).
 */
const FULL_FRAME_SHARE = 0.5;

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
    const { canvas } = this.update(scene, width, height, scale);
    this.nativeBytes += canvas.width * canvas.height * 4;
    // data() is a copy of the surface in Skia's own layout: RGBA, premultiplied — exactly a Frame.
    return { width: canvas.width, height: canvas.height, pixels: canvas.data() };
  }

  renderChanges(scene: Scene, width: number, height: number, scale: number, whole: boolean): FrameUpdate | null {
    const target = this.update(scene, width, height, scale);
    const { canvas, ctx } = target;
    const box = whole ? { left: 0, top: 0, right: canvas.width, bottom: canvas.height } : target.unpresented;
    target.unpresented = null;
    if (!box) return null;
    const w = box.right - box.left;
    const h = box.bottom - box.top;
    this.nativeBytes += w * h * 4;
    if (w === canvas.width && h === canvas.height) return { frame: { width: w, height: h, pixels: canvas.data() }, at: null };
    // getImageData reads only the box, un-premultiplied; premultiplying again gives Skia's bytes back exactly.
    const { data } = ctx.getImageData(box.left, box.top, w, h);
    return { frame: { width: w, height: h, pixels: premultiply(data) }, at: { x: box.left, y: box.top } };
  }

  /**
   * Bring a scene's canvas up to date: redraw the pixels its changes
   * damaged, clipped to them, with the elements that reach into them; or
   * all of it when new, rescaled, cleared, or mostly damaged.
   */
  private update(scene: Scene, width: number, height: number, scale: number): Target {
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const target = this.targetFor(scene, w, h);
    const changes = scene.takeChanges();
    const full = { left: 0, top: 0, right: w, bottom: h };
    let damage: PixelBox | null = full;
    if (changes !== 'all' && target.scale === scale) {
      const changed = damageOf(changes, scene, scale, w, h);
      damage = changed && redrawBox(changed, scene, scale, w, h);
      if (damage && boxArea(damage) > FULL_FRAME_SHARE * w * h) damage = full;
    }
    target.scale = scale;
    if (!damage) return target;
    if (damage === full) redrawAll(target.ctx, scene, scale);
    else redrawIn(target.ctx, scene, scale, damage, w, h);
    target.unpresented = damage === full ? full : unionBox(target.unpresented, damage);
    return target;
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

  /** The scene's canvas at this size; a new one (scale NaN: nothing drawn yet) when its size changed. */
  private targetFor(scene: Scene, width: number, height: number): Target {
    const target = this.targets.get(scene);
    if (target?.canvas.width === width && target.canvas.height === height) return target;
    if (target) shrink(target.canvas);
    const canvas = createCanvas(width, height);
    this.nativeBytes += width * height * 4;
    const created = { canvas, ctx: canvas.getContext('2d'), scale: NaN, unpresented: null };
    this.targets.set(scene, created);
    return created;
  }
}

function redrawAll(ctx: SKRSContext2D, scene: Scene, scale: number): void {
  // reset() clears to transparent and drops the canvas's recorded draw list
  // (it records and replays lazily) along with every leftover state.
  ctx.reset();
  ctx.scale(scale, scale);
  for (const element of scene.drawOrder()) drawElement(ctx, element);
}

/**
 * Clear `box` and draw into it, clipped to it, every element that may paint
 * there, in order. The clip is whole device pixels, and every path drawn
 * lies inside it (redrawBox), so each pixel inside gets exactly what a full
 * redraw gives it and none outside is touched.
 */
function redrawIn(ctx: SKRSContext2D, scene: Scene, scale: number, box: PixelBox, width: number, height: number): void {
  const w = box.right - box.left;
  const h = box.bottom - box.top;
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(box.left, box.top, w, h);
  ctx.beginPath();
  ctx.rect(box.left, box.top, w, h);
  ctx.clip();
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  for (const element of scene.drawOrder()) {
    const painted = elementPixels(element, scale, width, height);
    if (painted && intersects(painted, box)) drawElement(ctx, element);
  }
  ctx.restore();
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
