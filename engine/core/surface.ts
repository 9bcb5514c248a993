import type { Anchor, MenuItem, Rect, SurfaceCorner, SurfaceId, SurfaceKind, TrayIcon } from '../../protocol';
import type { Scene } from './scene';

export interface AnchorState {
  target: number;
  anchor: Anchor;
  offsetX: number;
  offsetY: number;
  surfaceCorner: SurfaceCorner;
  reportMoves: boolean;
}

export interface FadeState {
  direction: 'in' | 'out';
  from: number;
  to: number;
  start: number;
  durationMs: number;
}

/** Everything the engine knows about one surface. Geometry is logical. */
export interface Surface {
  id: SurfaceId;
  kind: SurfaceKind;
  session: number;
  /** Logical bounds on the virtual desktop (trays: unused). */
  bounds: Rect;
  visible: boolean;
  /** The opacity the client asked for; fades animate towards or away from it. */
  opacity: number;
  /** Platform window (hud, panel, pip) or tray handle. */
  handle: number;
  scene: Scene | null;
  draggable: boolean;
  dragHeight: number | undefined;
  positionKey: string | undefined;
  anchor: AnchorState | null;
  fade: FadeState | null;
  captureExcluded: boolean;
  backdrop: string;
  /** Scene version last presented; the frame is skipped while it matches. */
  presentedVersion: number;
  /** When it was last presented (engine thread clock, ms). */
  presentedAt: number;
  /** Size or DPI changed since last present. */
  needsPresent: boolean;
  /** A pip's source window, crop, and copies per second while visible. */
  pip: { source: number; region: Rect | null; fps: number } | null;
  tray: { tooltip: string; icon: TrayIcon | null; menu: MenuItem[]; popup: SurfaceId | null } | null;
  /** Set when the surface is some tray's popup: which tray. */
  popupOf: SurfaceId | null;
}
