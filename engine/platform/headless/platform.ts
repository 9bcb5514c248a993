import { colorBytes, type Color, type MenuItem, type Monitor, type Rect } from '../../../protocol';
import type { HitTester } from '../hitTest';
import type { Frame, FrameUpdate, LoopHooks, Platform, PlatformEvent, TestInput, TraySpec, WindowSpec } from '../platform';
import { VirtualDesktop } from './desktop';
import type { MonitorLayout } from './monitors';
import { captureVirtualDesktop, foreignWindowFrame, pastePatch } from './screen';
import { stepEveryTurn } from '../loopTurns';
import { trimCHeap } from '../linux/cHeaps';
import { sleepUntilWoken } from './wait';

type Button = 'left' | 'right' | 'middle';

interface Drag {
  window: number;
  grabX: number;
  grabY: number;
}

/**
 * An in-memory desktop with the same semantics as win32: z-ordered windows,
 * input routed through the engine's hit tester, a blocking wait on the
 * shared wake flag.
 */
export class HeadlessPlatform implements Platform, TestInput {
  readonly name = 'headless' as const;
  readonly desktop: VirtualDesktop;
  private events: PlatformEvent[] = [];
  private hover: number | null = null;
  private drag: Drag | null = null;
  private watched = new Set<number>();

  constructor(
    layout: MonitorLayout,
    private readonly wakeFlag: Int32Array,
    private readonly hitTest: HitTester,
  ) {
    this.desktop = new VirtualDesktop(layout.monitors, layout.trayMonitor);
  }

  capabilities() {
    return {
      captureExclusion: true,
      backdrop: false,
      pip: 'copy' as const,
      tray: true,
      perMonitorDpi: true,
      backdrops: ['none' as const],
    };
  }

  monitors(): Monitor[] {
    return this.desktop.monitors;
  }

  createWindow(spec: WindowSpec): number {
    const id = this.desktop.newId();
    this.desktop.windows.set(id, {
      id,
      kind: spec.kind,
      bounds: { ...spec.bounds },
      visible: false,
      opacity: 1,
      interactive: spec.kind === 'panel',
      captureExcluded: false,
      frame: null,
    });
    this.desktop.raise(id);
    return id;
  }

  destroyWindow(window: number): void {
    this.desktop.windows.delete(window);
    const at = this.desktop.zOrder.indexOf(window);
    if (at >= 0) this.desktop.zOrder.splice(at, 1);
    if (this.hover === window) this.hover = null;
    if (this.drag?.window === window) this.drag = null;
  }

  setBounds(window: number, bounds: Rect): void {
    const w = this.desktop.windows.get(window);
    if (w) w.bounds = { ...bounds };
  }

  setVisible(window: number, visible: boolean): void {
    const w = this.desktop.windows.get(window);
    if (!w) return;
    if (visible && !w.visible) this.desktop.raise(window);
    w.visible = visible;
  }

  setOpacity(window: number, opacity: number): void {
    const w = this.desktop.windows.get(window);
    if (w) w.opacity = opacity;
  }

  present(window: number, { frame, at }: FrameUpdate): void {
    const w = this.desktop.windows.get(window);
    if (!w) return;
    if (at && w.frame) pastePatch(w.frame, frame, at.x, at.y);
    else w.frame = frame;
  }

  setInteractive(window: number, interactive: boolean): void {
    const w = this.desktop.windows.get(window);
    if (w) w.interactive = interactive;
  }

  setCaptureExcluded(window: number, excluded: boolean): boolean {
    const w = this.desktop.windows.get(window);
    if (w) w.captureExcluded = excluded;
    return true;
  }

  createTray(spec: TraySpec): number {
    const id = this.desktop.newId();
    this.desktop.trays.set(id, { id, spec, menu: [] });
    return id;
  }

  updateTray(tray: number, spec: TraySpec): void {
    const t = this.desktop.trays.get(tray);
    if (t) t.spec = spec;
  }

  setTrayMenu(tray: number, items: MenuItem[]): void {
    const t = this.desktop.trays.get(tray);
    if (t) t.menu = items;
  }

  destroyTray(tray: number): void {
    this.desktop.trays.delete(tray);
  }

  trayIconRect(tray: number): Rect | null {
    return this.desktop.trayIconRect(tray);
  }

  foreignWindowBounds(window: number): Rect | null {
    const f = this.desktop.foreign.get(window);
    return f ? { ...f.bounds } : null;
  }

  watchForeignWindow(window: number): boolean {
    if (!this.desktop.foreign.has(window)) return false;
    this.watched.add(window);
    return true;
  }

  unwatchForeignWindow(window: number): void {
    this.watched.delete(window);
  }

  captureForeignWindow(window: number): Frame | null {
    const f = this.desktop.foreign.get(window);
    return f ? foreignWindowFrame(f) : null;
  }

  foreignWindowShown(window: number): boolean {
    const f = this.desktop.foreign.get(window);
    return !!f && !f.minimized;
  }

  captureDesktop(): Frame {
    return captureVirtualDesktop(this.desktop);
  }

  testInput(): TestInput {
    return this;
  }

  takeEvents(): PlatformEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  wakeHandle() {
    return { kind: 'atomics' as const };
  }

  run(hooks: LoopHooks, exit: () => void): void {
    hooks.tick();
    stepEveryTurn(() => {
      if (hooks.stopped()) return false;
      const deadline = hooks.nextDeadline();
      sleepUntilWoken(this.wakeFlag, deadline === undefined ? undefined : deadline - performance.now());
      hooks.tick();
      return true;
    }, exit);
  }

  returnFreedMemory(): void {
    trimCHeap();
  }

  dispose(): void {
    this.desktop.windows.clear();
    this.desktop.zOrder.length = 0;
    this.desktop.trays.clear();
  }

  // ---- test input ---------------------------------------------------------

  injectPointer(action: 'move' | 'down' | 'up', x: number, y: number, button: Button): void {
    if (this.drag) {
      this.continueDrag(action, x, y);
      return;
    }
    const target = this.windowAt(x, y);
    if (this.hover !== null && this.hover !== target?.window) {
      this.events.push({ type: 'pointer', window: this.hover, action: 'leave', button, x: 0, y: 0 });
      this.hover = null;
    }
    if (!target) return;
    this.hover = target.window;
    const w = this.desktop.windows.get(target.window)!;
    const local = { x: x - w.bounds.x, y: y - w.bounds.y };
    if (action === 'down' && target.hit === 'drag' && button === 'left') {
      // The pointer is over the drag region now: hover moves off any element first.
      this.events.push({ type: 'pointer', window: w.id, action: 'move', button, ...local });
      this.drag = { window: w.id, grabX: local.x, grabY: local.y };
      return;
    }
    this.events.push({ type: 'pointer', window: w.id, action, button, ...local });
  }

  clickTray(tray: number, button: Button, double: boolean): void {
    if (this.desktop.trays.has(tray)) this.events.push({ type: 'trayClicked', tray, button, double });
  }

  selectTrayMenuItem(tray: number, itemId: string): boolean {
    const t = this.desktop.trays.get(tray);
    const item = t?.menu.find((i) => i.id === itemId && !i.separator && i.enabled !== false);
    if (!item) return false;
    this.events.push({ type: 'trayMenuItem', tray, itemId });
    return true;
  }

  createForeignWindow(bounds: Rect, color: Color, title: string): number {
    const id = this.desktop.newId();
    this.desktop.foreign.set(id, { id, bounds: { ...bounds }, color: colorBytes(color), title, minimized: false });
    return id;
  }

  moveForeignWindow(id: number, bounds: Rect): boolean {
    const f = this.desktop.foreign.get(id);
    if (!f) return false;
    f.bounds = { ...bounds };
    if (this.watched.has(id)) this.events.push({ type: 'foreignMoved', foreign: id });
    return true;
  }

  updateForeignWindow(id: number, change: { color?: Color; minimized?: boolean }): boolean {
    const f = this.desktop.foreign.get(id);
    if (!f) return false;
    if (change.color !== undefined) f.color = colorBytes(change.color);
    if (change.minimized !== undefined) f.minimized = change.minimized;
    return true;
  }

  closeForeignWindow(id: number): boolean {
    if (!this.desktop.foreign.delete(id)) return false;
    if (this.watched.delete(id)) this.events.push({ type: 'foreignClosed', foreign: id });
    return true;
  }

  /** Topmost visible window that takes the point, as Windows decides for layered windows. */
  private windowAt(x: number, y: number): { window: number; hit: 'element' | 'drag' } | null {
    for (const w of this.desktop.visibleTopFirst()) {
      const b = w.bounds;
      if (x < b.x || y < b.y || x >= b.x + b.width || y >= b.y + b.height) continue;
      if (!w.interactive) continue;
      const hit = this.hitTest(w.id, x - b.x, y - b.y);
      if (hit !== 'transparent') return { window: w.id, hit };
    }
    return null;
  }

  private continueDrag(action: 'move' | 'down' | 'up', x: number, y: number): void {
    const drag = this.drag!;
    const w = this.desktop.windows.get(drag.window);
    if (!w) {
      this.drag = null;
      return;
    }
    w.bounds = { ...w.bounds, x: Math.round(x - drag.grabX), y: Math.round(y - drag.grabY) };
    if (action === 'up') {
      this.drag = null;
      this.events.push({ type: 'windowMoved', window: w.id, x: w.bounds.x, y: w.bounds.y });
    }
  }
}
