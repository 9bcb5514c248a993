import type { Capabilities, Color, Monitor, MenuItem, Rect } from '../../protocol';

/** The backends panepipe ships. */
export type BackendName = 'win32' | 'headless';

/** Premultiplied RGBA pixels of one rendered surface, physical size. */
export interface Frame {
  width: number;
  height: number;
  /** width × height × 4 bytes, premultiplied, RGBA order. */
  pixels: Uint8Array;
}

/**
 * Pixels for a window: a whole frame (`at` null), or a patch whose pixels
 * replace those under it at physical (x, y) of the window's last frame,
 * which keeps its size. Only a patch's pixels reach the screen.
 */
export interface FrameUpdate {
  frame: Frame;
  at: { x: number; y: number } | null;
}

/** Input and OS notifications a platform queues for the engine to handle after dispatch. */
export type PlatformEvent =
  | { type: 'pointer'; window: number; action: 'move' | 'down' | 'up' | 'leave'; button: 'left' | 'right' | 'middle'; x: number; y: number }
  /** The OS moved a window (drag ended); physical top-left. */
  | { type: 'windowMoved'; window: number; x: number; y: number }
  | { type: 'trayClicked'; tray: number; button: 'left' | 'right' | 'middle'; double: boolean }
  | { type: 'trayMenuItem'; tray: number; itemId: string }
  | { type: 'foreignMoved'; foreign: number }
  | { type: 'foreignClosed'; foreign: number }
  | { type: 'displayChanged' }
  | { type: 'dpiChanged'; window: number; dpi: number }
  | { type: 'shutdownRequested'; reason: string };

export interface WindowSpec {
  kind: 'hud' | 'panel' | 'pip';
  /** Physical bounds. */
  bounds: Rect;
}

export interface TraySpec {
  tooltip: string;
  /** Premultiplied-free straight RGBA icon pixels, or null for the default icon. */
  icon: { width: number; height: number; rgba: Uint8Array } | null;
}

/** What the engine loop asks of a platform between waits. */
export interface LoopHooks {
  /** Drain the command channel, handle queued platform events, render. Called after every loop cycle. */
  tick(): void;
  /** Absolute time (performance.now()) the loop must wake by, or undefined to sleep until woken. */
  nextDeadline(): number | undefined;
  /** True once the engine wants the loop to return. */
  stopped(): boolean;
}

type Button = 'left' | 'right' | 'middle';

/**
 * What a test may do as the user (enabled by --test-input): its input and
 * foreign windows become the same queued events as real ones. Physical pixels.
 */
export interface TestInput {
  injectPointer(action: 'move' | 'down' | 'up', x: number, y: number, button: Button): void;
  clickTray(tray: number, button: Button, double: boolean): void;
  selectTrayMenuItem(tray: number, itemId: string): boolean;
  createForeignWindow(bounds: Rect, color: Color, title: string): number;
  moveForeignWindow(id: number, bounds: Rect): boolean;
  closeForeignWindow(id: number): boolean;
  updateForeignWindow(id: number, change: { color?: Color; minimized?: boolean }): boolean;
}

/**
 * The only surface between the engine and an OS. Lives on the engine thread;
 * every call is synchronous. Coordinates here are physical pixels.
 */
export interface Platform {
  readonly name: BackendName;
  /** Platform-dependent flags of `capabilities`. */
  capabilities(): Omit<Capabilities, 'backend' | 'testInput'>;
  monitors(): Monitor[];

  createWindow(spec: WindowSpec): number;
  destroyWindow(window: number): void;
  setBounds(window: number, bounds: Rect): void;
  setVisible(window: number, visible: boolean): void;
  setOpacity(window: number, opacity: number): void;
  present(window: number, update: FrameUpdate): void;
  /** Panels: whether the window takes input at all (HUDs never do). */
  setInteractive(window: number, interactive: boolean): void;
  setCaptureExcluded(window: number, excluded: boolean): boolean;

  createTray(spec: TraySpec): number;
  updateTray(tray: number, spec: TraySpec): void;
  setTrayMenu(tray: number, items: MenuItem[]): void;
  destroyTray(tray: number): void;
  /** Physical rectangle of the tray icon, to place a popup next to it. */
  trayIconRect(tray: number): Rect | null;

  /** Physical bounds of a foreign window, or null if it does not exist. */
  foreignWindowBounds(window: number): Rect | null;
  /** Start reporting foreignMoved/foreignClosed for a window. */
  watchForeignWindow(window: number): boolean;
  unwatchForeignWindow(window: number): void;
  /** A copy of a foreign window's pixels, or null where unavailable. */
  captureForeignWindow(window: number): Frame | null;
  /** The foreign window exists and is not minimized: there is something to capture. */
  foreignWindowShown(window: number): boolean;

  /** The whole desktop as a user would see it, if this platform can capture it. */
  captureDesktop?(): Frame | null;
  /** Simulated input and foreign windows for tests, or null where this backend has none. */
  testInput(): TestInput | null;

  /** Queued events since the last call. */
  takeEvents(): PlatformEvent[];

  /** How the main thread wakes this loop (sent to it once at start). */
  wakeHandle(): WakeHandle;
  /**
   * Run the message loop until hooks.stopped(), then call `exit`. Returns
   * after the first cycle: every later cycle runs in a turn of the thread's
   * event loop of its own (see loopTurns.ts), and blocks in the platform's
   * wait until there is work.
   */
  run(hooks: LoopHooks, exit: () => void): void;
  /** Hand memory the process's C heap holds free back to the OS, where the system allows it (the engine went quiet). */
  returnFreedMemory(): void;
  /** Release everything (windows, tray icons). */
  dispose(): void;
}

/**
 * How the main thread wakes the engine thread after flipping the shared
 * wake flag 0 → 1: Atomics.notify on headless, a posted window message to
 * the control window on win32.
 */
export type WakeHandle = { kind: 'atomics' } | { kind: 'win32'; hwnd: number };
