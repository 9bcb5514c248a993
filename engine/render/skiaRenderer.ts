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
  /** The whole surface, drawn for whole frames and snapshots only. */
  canvas: Canvas;
  ctx: SKRSContext2D;
  /** The scale `pending` was measured at (NaN: nothing presented yet). */
  scale: number;
  /** The canvas holds the scene as it is now. */
  current: boolean;
  /** Pixels changed since the last renderChanges: what the screen does not show yet. */
  pending: PixelBox | 'whole' | null;
}

/**
 * Damage above this share of the surface redraws and reads back all of it:
 * one pass over everything then costs less, and reading the whole surface
 * is one copy.
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
    const target = this.absorb(scene, width, height, scale);
    return this.wholeFrame(target, scene);
  }

  renderChanges(scene: Scene, width: number, height: number, scale: number, whole: boolean): FrameUpdate | null {
    const target = this.absorb(scene, width, height, scale);
    const { width: w, height: h } = target.canvas;
    let box = whole ? 'whole' : target.pending;
    target.pending = null;
    if (box && box !== 'whole') {
      box = redrawBox(box, scene, scale, w, h);
      if (boxArea(box) > FULL_FRAME_SHARE * w * h) box = 'whole';
    }
    if (!box) return null;
    if (box === 'whole') return { frame: this.wholeFrame(target, scene), at: null };
    return { frame: this.patch(scene, scale, box, w, h), at: { x: box.left, y: box.top } };
  }

  /** Take the scene's changes into its target's pending damage (everything when new, rescaled or cleared). */
  private absorb(scene: Scene, width: number, height: number, scale: number): Target {
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const target = this.targetFor(scene, w, h);
    const changes = scene.takeChanges();
    if (changes === 'all' || target.scale !== scale) {
      target.scale = scale;
      target.current = false;
      target.pending = 'whole';
    } else if (changes.size > 0) {
      target.current = false;
      if (target.pending !== 'whole') target.pending = unionBox(target.pending, damageOf(changes, scene, scale, w, h));
    }
    return target;
  }

  /** All of the surface's pixels, redrawn if the scene changed since the canvas was last drawn. */
  private wholeFrame(target: Target, scene: Scene): Frame {
    const { canvas, ctx } = target;
    if (!target.current) {
      // reset() clears to transparent and drops the canvas's recorded draw list
      // (it records and replays lazily) along with every leftover state.
      ctx.reset();
      ctx.scale(target.scale, target.scale);
      for (const element of scene.drawOrder()) drawElement(ctx, element);
      target.current = true;
    }
    this.nativeBytes += canvas.width * canvas.height * 4;
    // data() is a copy of the surface in Skia's own layout: RGBA, premultiplied — exactly a Frame.
    return { width: canvas.width, height: canvas.height, pixels: canvas.data() };
  }

  /**
   * The pixels of `box`: every element that may paint there, drawn clipped
   * to it on a canvas of its own that reaches from the surface's origin to
   * the box's far corner. Not the surface's canvas: it is read through a
   * snapshot that its next draw would copy whole (tens of ms at 4K). Not a
   * canvas of the box's size: shifting a curve's coordinates changes its
   * anti-aliasing. A new canvas's untouched pages are never written; every
   * path drawn lies inside the box (redrawBox), so each pixel is what a
   * whole frame gives it.
   */
  private patch(scene: Scene, scale: number, box: PixelBox, width: number, height: number): Frame {
    const w = box.right - box.left;
    const h = box.bottom - box.top;
    const canvas = createCanvas(box.right, box.bottom);
    const ctx = canvas.getContext('2d');
    ctx.beginPath();
    ctx.rect(box.left, box.top, w, h);
    ctx.clip();
    ctx.scale(scale, scale);
    for (const element of scene.drawOrder()) {
      const painted = elementPixels(element, scale, width, height);
      if (painted && intersects(painted, box)) drawElement(ctx, element);
    }
    // getImageData un-premultiplies; premultiplying again gives Skia's bytes back exactly.
    const pixels = premultiply(ctx.getImageData(box.left, box.top, w, h).data);
    shrink(canvas);
    this.nativeBytes += w * h * 4;
    return { width: w, height: h, pixels };
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
    const created: Target = { canvas, ctx: canvas.getContext('2d'), scale: NaN, current: false, pending: 'whole' };
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
