import { createCanvas, ImageData } from '@napi-rs/canvas';
import type { Rect } from '../../protocol';
import type { Frame } from '../platform/platform';
import type { Rgba } from './colors';

/** One window's pixels placed on the desktop: physical top-left and window opacity. */
export interface Layer {
  x: number;
  y: number;
  opacity: number;
  frame: Frame;
}

/** round(v / 255) for v in [0, 255²], without division. */
function div255(v: number): number {
  const t = v + 128;
  return (t + (t >> 8)) >> 8;
}

/**
 * The desktop as the compositor would show it: `background` (straight RGBA,
 * default transparent) under the layers, bottom first, each blended
 * source-over after scaling it by its opacity. Premultiplied in and out.
 */
export function composeDesktop(width: number, height: number, layers: readonly Layer[], background?: Readonly<Rgba>): Frame {
  const out = new Uint8Array(width * height * 4);
  if (background) {
    const [r, g, b, a] = background;
    // One 32-bit fill, in whatever byte order the machine has.
    const pixel = new Uint32Array(Uint8Array.of(div255(r * a), div255(g * a), div255(b * a), a).buffer)[0]!;
    new Uint32Array(out.buffer).fill(pixel);
  }
  for (const { x, y, opacity, frame } of layers) {
    const alpha = Math.round(Math.min(1, Math.max(0, opacity)) * 255);
    const left = Math.round(x);
    const top = Math.round(y);
    // The part of the layer that lies on the desktop.
    const x0 = Math.max(0, left);
    const y0 = Math.max(0, top);
    const x1 = Math.min(width, left + frame.width);
    const y1 = Math.min(height, top + frame.height);
    if (alpha === 0 || x0 >= x1 || y0 >= y1) continue;
    const src = frame.pixels;
    for (let row = y0; row < y1; row++) {
      let s = ((row - top) * frame.width + (x0 - left)) * 4;
      let d = (row * width + x0) * 4;
      for (let col = x0; col < x1; col++, s += 4, d += 4) {
        const sa = alpha === 255 ? src[s + 3]! : div255(src[s + 3]! * alpha);
        if (sa === 0) continue;
        const keep = 255 - sa;
        for (let c = 0; c < 3; c++) {
          const sc = alpha === 255 ? src[s + c]! : div255(src[s + c]! * alpha);
          out[d + c] = sc + div255(out[d + c]! * keep);
        }
        out[d + 3] = sa + div255(out[d + 3]! * keep);
      }
    }
  }
  return { width, height, pixels: out };
}

/** Straight-alpha RGBA (as getImageData gives it) premultiplied, as a Frame holds it. */
export function premultiply(straight: Uint8ClampedArray): Uint8Array {
  const out = new Uint8Array(straight.buffer, straight.byteOffset, straight.byteLength);
  for (let i = 0; i < out.length; i += 4) {
    const a = out[i + 3]!;
    if (a === 255) continue;
    out[i] = div255(out[i]! * a);
    out[i + 1] = div255(out[i + 1]! * a);
    out[i + 2] = div255(out[i + 2]! * a);
  }
  return out;
}

/**
 * PNG bytes of a frame. PNG stores straight alpha and the canvas's
 * putImageData takes straight alpha, so the frame is un-premultiplied here;
 * Skia premultiplies on the way in — which gives back the frame's exact
 * values — and un-premultiplies again when it encodes.
 */
export function encodePng(frame: Frame): Buffer {
  const { width, height, pixels } = frame;
  const straight = new Uint8ClampedArray(pixels.length);
  for (let i = 0; i < pixels.length; i += 4) {
    const a = pixels[i + 3]!;
    if (a === 0) continue;
    // A clamped array rounds on store, and clamps (invalid) colour bytes above alpha.
    straight[i] = (pixels[i]! * 255) / a;
    straight[i + 1] = (pixels[i + 1]! * 255) / a;
    straight[i + 2] = (pixels[i + 2]! * 255) / a;
    straight[i + 3] = a;
  }
  const canvas = createCanvas(width, height);
  canvas.getContext('2d').putImageData(new ImageData(straight, width, height), 0, 0);
  return canvas.encodeSync('png');
}

/** The pixels of `rect` (frame pixels; rounded), transparent where it reaches past the frame. */
export function cropFrame(frame: Frame, rect: Rect): Frame {
  const left = Math.round(rect.x);
  const top = Math.round(rect.y);
  const width = Math.round(rect.width);
  const height = Math.round(rect.height);
  const pixels = new Uint8Array(width * height * 4);
  const x0 = Math.max(0, left);
  const x1 = Math.min(frame.width, left + width);
  if (x0 < x1) {
    for (let row = Math.max(0, top); row < Math.min(frame.height, top + height); row++) {
      const from = (row * frame.width + x0) * 4;
      pixels.set(frame.pixels.subarray(from, from + (x1 - x0) * 4), ((row - top) * width + (x0 - left)) * 4);
    }
  }
  return { width, height, pixels };
}

/**
 * For each destination pixel along one axis, the source pixels it takes and
 * their weights: an area average when shrinking (every source pixel counts,
 * no aliasing), linear interpolation when enlarging.
 */
function axisTaps(from: number, to: number): { first: Int32Array; weights: Float32Array[] } {
  const first = new Int32Array(to);
  const weights: Float32Array[] = [];
  const ratio = from / to;
  for (let i = 0; i < to; i++) {
    if (ratio > 1) {
      const start = i * ratio;
      const end = start + ratio;
      const lo = Math.floor(start);
      const hi = Math.min(from, Math.ceil(end));
      const w = new Float32Array(hi - lo);
      for (let j = lo; j < hi; j++) w[j - lo] = (Math.min(end, j + 1) - Math.max(start, j)) / ratio;
      first[i] = lo;
      weights.push(w);
    } else {
      const at = Math.min(from - 1, Math.max(0, (i + 0.5) * ratio - 0.5));
      const lo = Math.min(Math.floor(at), Math.max(0, from - 2));
      const f = at - lo;
      first[i] = lo;
      weights.push(from === 1 ? new Float32Array([1]) : new Float32Array([1 - f, f]));
    }
  }
  return { first, weights };
}

/**
 * The frame resampled to width×height. Premultiplied pixels interpolate
 * correctly as they are (no dark fringes at transparent edges).
 */
export function scaleFrame(frame: Frame, width: number, height: number): Frame {
  if (width === frame.width && height === frame.height) return frame;
  if (frame.width === 0 || frame.height === 0) return { width, height, pixels: new Uint8Array(width * height * 4) };
  const src = frame.pixels;
  const sw = frame.width;
  const sh = frame.height;
  // Rows first into a float buffer of sh × width, then columns.
  const across = axisTaps(sw, width);
  const rows = new Float32Array(sh * width * 4);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < width; x++) {
      const w = across.weights[x]!;
      let s = (y * sw + across.first[x]!) * 4;
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let k = 0; k < w.length; k++, s += 4) {
        r += src[s]! * w[k]!;
        g += src[s + 1]! * w[k]!;
        b += src[s + 2]! * w[k]!;
        a += src[s + 3]! * w[k]!;
      }
      const d = (y * width + x) * 4;
      rows[d] = r;
      rows[d + 1] = g;
      rows[d + 2] = b;
      rows[d + 3] = a;
    }
  }
  const down = axisTaps(sh, height);
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const w = down.weights[y]!;
    const firstRow = down.first[y]!;
    for (let x = 0; x < width * 4; x++) {
      let v = 0;
      for (let k = 0; k < w.length; k++) v += rows[(firstRow + k) * width * 4 + x]! * w[k]!;
      pixels[y * width * 4 + x] = Math.min(255, Math.round(v));
    }
  }
  return { width, height, pixels };
}
