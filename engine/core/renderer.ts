import type { Rect, TextStyle } from '../../protocol';
import type { AttachedImage } from '../channel/messages';
import type { Frame, FrameUpdate } from '../platform/platform';
import type { ElementWeight, KeyedElement, Scene } from './scene';

export interface TextMetrics {
  width: number;
  height: number;
  lines: number;
}

/** Turns a scene into pixels, and does all other pixel work of the core. Synchronous: it runs on the engine thread. */
export interface Renderer {
  /** All the pixels of `scene` in a logical `width`×`height` box at `scale` physical pixels per logical pixel. */
  render(scene: Scene, width: number, height: number, scale: number): Frame;
  /**
   * The pixels of `scene` that changed since the last call, as a patch
   * (or a whole frame where most changed, or the size or scale did, or
   * `whole` asks for it), or null if none did. Only what its changes
   * damaged is redrawn, and only what changed is read back.
   */
  renderChanges(scene: Scene, width: number, height: number, scale: number, whole: boolean): FrameUpdate | null;
  /** Free what rendering `scene` holds: its surface is gone. */
  release(scene: Scene): void;
  /** `region` of a frame (frame pixels; all of it if null, transparent past its edges), resampled to `width`×`height`. */
  cropAndScale(frame: Frame, region: Rect | null, width: number, height: number): Frame;
  /** PNG bytes of a frame. */
  encodePng(frame: Frame): Uint8Array;
  measureText(text: string, style: TextStyle): TextMetrics;
  /** Straight-alpha RGBA decoded for these image bytes by the main thread, or null if none came with them. */
  imagePixels(data: Uint8Array): { width: number; height: number; rgba: Uint8Array } | null;
  /** Take the pixels the main thread decoded for image bytes that arrived with a command. */
  adoptImages(images: readonly AttachedImage[]): void;
  /**
   * What an element weighs: its render cost on a logical `width`×`height`
   * surface at `scale`, and its decoded image bytes. Past `cap` its cost is
   * not weighed further, and is Infinity.
   */
  weigh(element: KeyedElement, width: number, height: number, scale: number, cap?: number): ElementWeight;
  /** The render cost of a surface's own `physicalPixels`, before any element. */
  pixelsCost(physicalPixels: number): number;
  /** Logical hit box of an element, for hit testing. */
  elementBounds(scene: Scene, key: string): { x: number; y: number; width: number; height: number } | null;
}
