import type { TextStyle } from '../../protocol';
import type { Frame } from '../platform/platform';
import type { Scene } from './scene';

export interface TextMetrics {
  width: number;
  height: number;
  lines: number;
}

/** Turns a scene into pixels. Synchronous: it runs on the engine thread. */
export interface Renderer {
  /** Render `scene` into a logical `width`×`height` box at `scale` physical pixels per logical pixel. */
  render(scene: Scene, width: number, height: number, scale: number): Frame;
  measureText(text: string, style: TextStyle): TextMetrics;
  /** Straight-alpha RGBA of an encoded image (tray icons), or throws imageError. */
  decodeImage(data: Uint8Array): { width: number; height: number; rgba: Uint8Array };
  /** Logical hit box of an element, for hit testing. */
  elementBounds(scene: Scene, key: string): { x: number; y: number; width: number; height: number } | null;
}
