/** panepipe client library: connect to the overlay engine and drive surfaces. */
export { connect, type ConnectOptions } from './connect';
export { Client } from './client';
export { CommandError, type ErrorEvent } from './commandErrors';
export type { Listener, ListenerArg } from './eventHub';
export { Hud, Panel, Pip, Tray, Surface, WindowSurface, SceneSurface } from './surfaces';
export { NoEngineError, type NoEngineCode } from './noEngine';
export { EngineIdentityError } from './engineIdentity';
export { PanepipeError, LIMITS } from '../protocol';
/** The client API's own forms of these: an image may be named by a file the client reads. */
export type {
  HudOptions,
  PanelOptions,
  PipOptions,
  TrayOptions,
  TextOptions,
  RectOptions,
  ImageOptions,
  DrawOptions,
  MeasureTextOptions,
} from './appOptions';
export type { EventFilter, EventStreamOptions } from './eventHub';
export type { AppArgs, AppBatchEntry as BatchEntry, AppDrawOp as DrawOp, AppTrayIcon as TrayIcon } from './appOptions';
export type {
  Anchor,
  Capabilities,
  Color,
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
} from '../protocol';
