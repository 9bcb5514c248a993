/** panepipe client library: connect to the overlay engine and drive surfaces. */
export { connect, type ConnectOptions } from './connect';
export { Client } from './client';
export { Hud, Panel, Pip, Tray, Surface, WindowSurface, SceneSurface } from './surfaces';
export { NoEngineError } from './transport';
export { PanepipeError, LIMITS } from '../protocol';
export type {
  Anchor,
  Capabilities,
  Color,
  DrawOp,
  EngineEvent,
  EngineStatus,
  ErrorCode,
  MenuItem,
  Monitor,
  PanepipeEvent,
  Placement,
  Rect,
  SurfaceId,
  SurfaceInfo,
  TrayIcon,
} from '../protocol';
