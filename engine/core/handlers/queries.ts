import { PROTOCOL_VERSION, PanepipeError, type SurfaceInfo } from '../../../protocol';
import { encodePng } from '../../render/compose';
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
    rssBytes: process.memoryUsage.rss(),
    stats: { ...ctx.stats },
  };
}

export const queryHandlers: { [O in QueryOp]: Handler<O> } = {
  getPosition: { kinds: ['hud', 'panel', 'pip'], apply: (_ctx, _cmd, s) => ({ ...s!.bounds }) },
  monitors: { apply: (ctx) => ({ monitors: ctx.monitors() }) },
  capabilities: { apply: (ctx) => ctx.capabilities() },
  measureText: {
    apply: (ctx, cmd) => {
      const { op: _op, seq: _seq, text, ...style } = cmd;
      return ctx.renderer.measureText(text, style);
    },
  },
  snapshot: {
    kinds: ['hud', 'panel', 'pip'],
    apply(ctx, _cmd, s) {
      const frame = surfaceFrame(ctx, s!);
      return { png: encodePng(frame), width: frame.width, height: frame.height };
    },
  },
  screenshot: {
    apply(ctx) {
      // Commands drained in this same cycle have not been presented yet.
      ctx.present(performance.now());
      const frame = ctx.platform.captureDesktop?.();
      if (!frame) throw new PanepipeError('unsupported', `screenshot: the ${ctx.platform.name} backend cannot capture the desktop`);
      return { png: encodePng(frame), width: frame.width, height: frame.height };
    },
  },
  listSurfaces: { apply: (ctx, _cmd, _s, inv) => ({ surfaces: ctx.registry.ofSession(inv.session).map(info) }) },
  status: { apply: (ctx) => status(ctx) },
  // Answered after this cycle's frames: a sync reply means "applied and on screen".
  sync: {
    apply: (ctx) => {
      ctx.requestPresent();
      return {};
    },
  },
  stop: {
    apply(ctx) {
      ctx.requestShutdown('stop requested by a client');
      return {};
    },
  },
};
