import type { Anchor, EventType, OpArgs, PanepipeEvent, Rect, SurfaceCorner, SurfaceId } from '../protocol';
import type { AppTrayIcon, DrawOptions, ImageOptions, RectOptions, TextOptions } from './appOptions';
import type { Client } from './client';
import type { Listener, ListenerArg } from './eventHub';

/** The ops that set an element of a surface's scene. */
export type ElementSetOp = 'setText' | 'setRect' | 'setImage' | 'setDraw';

/**
 * How a surface handle sends an element update: the command is built as one
 * object instead of being copied again by `command` (a HUD streaming text
 * sends many). Keyed by a symbol so it stays off the public API.
 */
export const sendElement = Symbol('sendElement');

/** What every surface handle has: its id, destroy, and `await using` support. */
export abstract class Surface implements AsyncDisposable {
  constructor(
    protected readonly client: Client,
    readonly id: SurfaceId,
  ) {}

  /** Call `listener` with each event of `type` about this surface (e.g. `elementClicked`, `trayClicked`) until `signal` aborts. */
  on<T extends EventType>(type: T, listener: Listener<T>, opts: { signal?: AbortSignal } = {}): this {
    this.client.on(type, listener, { ...opts, surface: this.id });
    return this;
  }

  off<T extends EventType>(type: T, listener: Listener<T>): this {
    this.client.off(type, listener);
    return this;
  }

  /** The next event of `type` about this surface. */
  once<T extends EventType>(type: T, opts: { signal?: AbortSignal } = {}): Promise<ListenerArg<T>> {
    return this.client.once(type, { ...opts, surface: this.id });
  }

  /** This surface's events, in a stream of their own (see Client.events). */
  events(opts: { types?: readonly EventType[]; signal?: AbortSignal } = {}): AsyncIterableIterator<PanepipeEvent> {
    return this.client.events({ ...opts, surface: this.id });
  }

  /** Destroy the surface (fire-and-forget). */
  destroy(): void {
    this.client.command('destroy', { surface: this.id });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.client.isClosed) return;
    this.destroy();
    await this.client.sync();
  }
}

/** Operations of anything with a window: HUDs, panels and pips. */
export abstract class WindowSurface extends Surface {
  /** Show the surface at once (see fadeIn for a fade). */
  show(): void {
    this.client.command('show', { surface: this.id });
  }
  /** Hide the surface at once; it keeps its elements. */
  hide(): void {
    this.client.command('hide', { surface: this.id });
  }
  /** Move the top-left corner to (x, y), logical desktop pixels. */
  setPosition(x: number, y: number): void {
    this.client.command('setPosition', { surface: this.id, x, y });
  }
  setSize(width: number, height: number): void {
    this.client.command('setSize', { surface: this.id, width, height });
  }
  /** Opacity of the whole surface, 0 to 1. */
  setOpacity(opacity: number): void {
    this.client.command('setOpacity', { surface: this.id, opacity });
  }
  /** Show the surface, fading in over `durationMs` (0–60,000 ms, default 250); `fadeCompleted` follows. */
  fadeIn(durationMs?: number): void {
    this.client.command('fadeIn', durationMs === undefined ? { surface: this.id } : { surface: this.id, durationMs });
  }
  /** Fade out over `durationMs` (0–60,000 ms, default 250), ending hidden; `fadeCompleted` follows. */
  fadeOut(durationMs?: number): void {
    this.client.command('fadeOut', durationMs === undefined ? { surface: this.id } : { surface: this.id, durationMs });
  }
  /**
   * Follow another window: this surface's `anchor` corner sits on the same
   * corner of `target`, inside it; `surfaceCorner: 'topLeft'` puts this
   * surface's top-left there instead (winpane's geometry: beside the target).
   */
  anchorTo(target: number, anchor: Anchor, offset: { x?: number; y?: number; surfaceCorner?: SurfaceCorner; reportMoves?: boolean } = {}): void {
    const { x = 0, y = 0, ...options } = offset;
    this.client.command('anchorTo', { surface: this.id, target, anchor, offsetX: x, offsetY: y, ...options });
  }
  unanchor(): void {
    this.client.command('unanchor', { surface: this.id });
  }
  setCaptureExcluded(excluded: boolean): void {
    this.client.command('setCaptureExcluded', { surface: this.id, excluded });
  }
  setBackdrop(backdrop: OpArgs<'setBackdrop'>['backdrop']): void {
    this.client.command('setBackdrop', { surface: this.id, backdrop });
  }
  getPosition(): Promise<Rect> {
    return this.client.request('getPosition', { surface: this.id });
  }
  /** PNG of this surface as rendered now. */
  snapshot(): Promise<{ png: Uint8Array; width: number; height: number }> {
    return this.client.request('snapshot', { surface: this.id });
  }
}

/** Surfaces with a retained scene of keyed elements. */
export abstract class SceneSurface extends WindowSurface {
  /** Add or replace the text element `key` (fire-and-forget; a failure is an `error`). */
  setText(key: string, opts: TextOptions): void {
    this.client[sendElement]('setText', this.id, key, opts);
  }
  /** Add or replace the rectangle element `key`. */
  setRect(key: string, opts: RectOptions): void {
    this.client[sendElement]('setRect', this.id, key, opts);
  }
  /** A PNG, JPEG or BMP: `data` (its bytes), or `path` (a file this process reads, relative to its working directory). */
  setImage(key: string, opts: ImageOptions): void {
    this.client[sendElement]('setImage', this.id, key, opts);
  }
  /** Custom vector drawing: paths, lines, arcs, ellipses, gradients, text and images. */
  setDraw(key: string, opts: DrawOptions): void {
    this.client[sendElement]('setDraw', this.id, key, opts);
  }
  removeElement(key: string): void {
    this.client.command('removeElement', { surface: this.id, key });
  }
  clearElements(): void {
    this.client.command('clearElements', { surface: this.id });
  }
}

/** A click-through overlay: never takes input. */
export class Hud extends SceneSurface {}

/** An interactive overlay: interactive elements and the drag region take the mouse. */
export class Panel extends SceneSurface {}

/** A live picture-in-picture view of another window. */
export class Pip extends WindowSurface {
  setSourceRegion(region: Rect): void {
    this.client.command('setSourceRegion', { surface: this.id, ...region });
  }
  clearSourceRegion(): void {
    this.client.command('clearSourceRegion', { surface: this.id });
  }
  /** Copies of the source per second while the pip is visible (1..120; default 30). */
  setCaptureFps(fps: number): void {
    this.client.command('setCaptureFps', { surface: this.id, fps });
  }
}

/** A notification-area icon. Its events carry its id. */
export class Tray extends Surface {
  setTooltip(tooltip: string): void {
    this.client.command('setTooltip', { surface: this.id, tooltip });
  }
  setTrayIcon(icon: AppTrayIcon): void {
    this.client.command('setTrayIcon', { surface: this.id, icon });
  }
  /** Show `panel` next to the icon on left click (toggles); null removes it. */
  setPopup(panel: Panel | null): void {
    this.client.command('setPopup', { surface: this.id, panel: panel ? panel.id : null });
  }
  setMenu(items: OpArgs<'setMenu'>['items']): void {
    this.client.command('setMenu', { surface: this.id, items });
  }
}
