import { composeDesktop, scaleFrame, type Layer } from '../../render/compose';
import type { Frame } from '../platform';
import type { ForeignWindow, VirtualDesktop } from './desktop';

/** The virtual desktop's wallpaper. */
const BACKGROUND: [number, number, number, number] = [32, 32, 32, 255];

const WHITE = [255, 255, 255, 255] as const;
const BLACK = [0, 0, 0, 255] as const;
const GRAY = [128, 128, 128, 255] as const;

/**
 * What a virtual foreign window shows: its color in the top-left quadrant,
 * then white, black and gray clockwise, so a pip's crop is visible in pixels.
 */
export function foreignWindowFrame(f: ForeignWindow): Frame {
  const width = Math.max(1, Math.round(f.bounds.width));
  const height = Math.max(1, Math.round(f.bounds.height));
  const pixels = new Uint8Array(width * height * 4);
  const halfX = Math.floor(width / 2);
  const halfY = Math.floor(height / 2);
  const [r, g, b, a] = f.color;
  const own = [Math.round((r * a) / 255), Math.round((g * a) / 255), Math.round((b * a) / 255), a] as const;
  // One row of each half, then copied down: a live pip copies this 30 times a second.
  const rowOf = (left: readonly number[], right: readonly number[]): Uint8Array => {
    const row = new Uint8Array(width * 4);
    for (let x = 0; x < width; x++) row.set(x < halfX ? left : right, x * 4);
    return row;
  };
  const top = rowOf(own, WHITE);
  const bottom = rowOf(GRAY, BLACK);
  for (let y = 0; y < height; y++) pixels.set(y < halfY ? top : bottom, y * width * 4);
  return { width, height, pixels };
}

const TASKBAR = [20, 22, 28, 255] as const;

/** A solid premultiplied frame. */
function solid(width: number, height: number, rgba: readonly number[]): Frame {
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < pixels.length; i += 4) pixels.set(rgba, i);
  return { width, height, pixels };
}

/** Each monitor's taskbar strip, and the tray icons on the tray monitor's. */
function taskbarLayers(desktop: VirtualDesktop): Layer[] {
  const layers: Layer[] = desktop.monitors.map((m) => {
    const top = m.physicalBounds.y + Math.round((m.workArea.y + m.workArea.height - m.bounds.y) * m.scale);
    const height = m.physicalBounds.y + m.physicalBounds.height - top;
    return { x: m.physicalBounds.x, y: top, opacity: 1, frame: solid(m.physicalBounds.width, Math.max(1, height), TASKBAR) };
  });
  for (const tray of desktop.trays.values()) {
    const rect = desktop.trayIconRect(tray.id);
    const icon = tray.spec.icon;
    if (!rect || !icon) continue;
    const pixels = new Uint8Array(icon.rgba.length);
    for (let i = 0; i < pixels.length; i += 4) {
      const a = icon.rgba[i + 3]!;
      for (let c = 0; c < 3; c++) pixels[i + c] = Math.round((icon.rgba[i + c]! * a) / 255);
      pixels[i + 3] = a;
    }
    layers.push({ x: rect.x, y: rect.y, opacity: 1, frame: scaleFrame({ width: icon.width, height: icon.height, pixels }, rect.width, rect.height) });
  }
  return layers;
}

/** All monitors side by side with foreign windows under the overlay windows, as a screen capture sees them. */
export function captureVirtualDesktop(desktop: VirtualDesktop): Frame {
  const width = desktop.monitors.reduce((w, m) => Math.max(w, m.physicalBounds.x + m.physicalBounds.width), 0);
  const height = desktop.monitors.reduce((h, m) => Math.max(h, m.physicalBounds.y + m.physicalBounds.height), 0);
  const layers: Layer[] = [
    ...taskbarLayers(desktop),
    ...[...desktop.foreign.values()].map((f) => ({ x: f.bounds.x, y: f.bounds.y, opacity: 1, frame: foreignWindowFrame(f) })),
  ];
  for (const id of desktop.zOrder) {
    const w = desktop.windows.get(id)!;
    // Capture-excluded windows stay out of captures, as SetWindowDisplayAffinity does on Windows.
    if (w.visible && w.frame && !w.captureExcluded) layers.push({ x: w.bounds.x, y: w.bounds.y, opacity: w.opacity, frame: w.frame });
  }
  return composeDesktop(width, height, layers, BACKGROUND);
}

/** Copy `patch` into `frame` with its top-left at (x, y), as the compositor takes a dirty rectangle. */
export function pastePatch(frame: Frame, patch: Frame, x: number, y: number): void {
  const rowBytes = patch.width * 4;
  for (let row = 0; row < patch.height; row++) {
    const from = row * rowBytes;
    frame.pixels.set(patch.pixels.subarray(from, from + rowBytes), ((y + row) * frame.width + x) * 4);
  }
}
