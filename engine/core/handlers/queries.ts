import { PROTOCOL_VERSION, PanepipeError, type SurfaceInfo } from '../../../protocol';
import { checkMeasureCost } from '../budgets';
import type { EngineContext, Handler } from '../context';
import { surfaceFrame } from '../frames';
import type { Surface } from '../surface';

type QueryOp = 'getPosition' | 'monitors' | 'capabilities' | 'measureText' | 'snapshot' | 'screenshot' | 'listSurfaces' | 'status' | 'sync' | 'stop';

function info(s: Surface): SurfaceInfo {
  return {
    id: s.id,
    kind: s.kind,
    visible: s.visible,
    opacity: s.opacity,
    bounds: { ...s.bounds },
    elements: s.scene?.size ?? 0,
  };
}

/** Reading the resident size is a system call and a parse (≈ 10 µs): a flood of `status` shares one reading per interval. */
const RSS_FRESH_MS = 100;
const lastRss = { at: Number.NEGATIVE_INFINITY, bytes: 0 };

function residentBytes(now: number): number {
  if (now - lastRss.at >= RSS_FRESH_MS) {
    lastRss.at = now;
    lastRss.bytes = process.memoryUsage.rss();
  }
  return lastRss.bytes;
}

function status(ctx: EngineContext) {
  const now = Date.now();
  return {
    version: ctx.info.version,
    protocol: PROTOCOL_VERSION,
    pid: ctx.info.pid,
    backend: ctx.platform.name,
    endpoint: ctx.info.endpoint,
    startedAt: ctx.info.startedAt,
    uptimeMs: now - Date.parse(ctx.info.startedAt),
    persistent: ctx.info.persistent,
    idleExitMs: ctx.info.idleExitMs,
    sessions: [...ctx.sessions].map(([id, meta]) => ({
      id,
      ...meta,
      surfaces: ctx.registry.ofSession(id).map((s) => s.id),
    })),
    surfaces: [...ctx.registry.all()].map((s) => ({ ...info(s), session: s.session })),
    rssBytes: residentBytes(now),
    stats: { ...ctx.stats },
  };
}

export const queryHandlers: { [O in QueryOp]: Handler<O> } = {
  getPosition: { kinds: ['hud', 'panel', 'pip'], apply: (_ctx, _cmd, s) => ({ ...s!.bounds }) },
  monitors: { apply: (ctx) => ({ monitors: ctx.monitors() }) },
  capabilities: { apply: (ctx) => ctx.capabilities() },
  measureText: {
    check: (ctx, cmd) => checkMeasureCost(ctx, { ...cmd, kind: 'text', key: '', x: 0, y: 0 }),
    apply: (ctx, cmd) => {
      const { op: _op, seq: _seq, text, ...style } = cmd;
      return ctx.renderer.measureText(text, style);
    },
  },
  snapshot: {
    kinds: ['hud', 'panel', 'pip'],
    apply(ctx, _cmd, s) {
      const frame = surfaceFrame(ctx, s!);
      return { png: ctx.renderer.encodePng(frame), width: frame.width, height: frame.height };
    },
  },
  // What the client's commands before it left is on screen; other clients' surfaces show their last frames.
  screenshot: {
    afterFrames: 'capture',
    apply(ctx) {
      const frame = ctx.platform.captureDesktop?.();
      if (!frame) throw new PanepipeError('unsupported', `screenshot: the ${ctx.platform.name} backend cannot capture the desktop`);
      return { png: ctx.renderer.encodePng(frame), width: frame.width, height: frame.height };
    },
  },
  listSurfaces: { apply: (ctx, _cmd, _s, inv) => ({ surfaces: ctx.registry.ofSession(inv.session).map(info) }) },
  status: { apply: (ctx) => status(ctx) },
  // A sync reply means "applied and on screen".
  sync: { afterFrames: 'barrier', apply: () => ({}) },
  stop: {
    apply(ctx) {
      ctx.requestShutdown('stop requested by a client');
      return {};
    },
  },
};
