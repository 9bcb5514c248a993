import { PanepipeError } from '../../../protocol';
import type { Handler } from '../context';
import { anchorBounds } from '../anchoring';
import { startFade } from '../fades';
import { checkBounds } from '../budgets';
import { destroySurface, notePosition, setBounds, setVisible } from '../lifecycle';

const WINDOW_KINDS = ['hud', 'panel', 'pip'] as const;
const DEFAULT_FADE_MS = 250;

type SurfaceOp =
  | 'show'
  | 'hide'
  | 'setPosition'
  | 'setSize'
  | 'setOpacity'
  | 'fadeIn'
  | 'fadeOut'
  | 'anchorTo'
  | 'unanchor'
  | 'setCaptureExcluded'
  | 'setBackdrop'
  | 'destroy';

export const surfaceHandlers: { [O in SurfaceOp]: Handler<O> } = {
  show: {
    kinds: WINDOW_KINDS,
    apply(ctx, _cmd, s) {
      s!.fade = null;
      ctx.platform.setOpacity(s!.handle, s!.opacity);
      setVisible(ctx, s!, true);
    },
  },
  hide: {
    kinds: WINDOW_KINDS,
    apply(ctx, _cmd, s) {
      s!.fade = null;
      setVisible(ctx, s!, false);
    },
  },
  setPosition: {
    kinds: WINDOW_KINDS,
    check: (ctx, cmd, s, _inv, plan) => checkBounds(ctx, s!.session, s!, { ...(plan?.surfaces.get(s!.id)?.bounds ?? s!.bounds), x: cmd.x, y: cmd.y }, plan),
    apply(ctx, cmd, s) {
      setBounds(ctx, s!, { ...s!.bounds, x: cmd.x, y: cmd.y });
      notePosition(ctx, s!);
    },
  },
  setSize: {
    kinds: WINDOW_KINDS,
    check: (ctx, cmd, s, _inv, plan) =>
      checkBounds(ctx, s!.session, s!, { ...(plan?.surfaces.get(s!.id)?.bounds ?? s!.bounds), width: cmd.width, height: cmd.height }, plan),
    apply: (ctx, cmd, s) => setBounds(ctx, s!, { ...s!.bounds, width: cmd.width, height: cmd.height }),
  },
  setOpacity: {
    kinds: WINDOW_KINDS,
    apply(ctx, cmd, s) {
      s!.opacity = cmd.opacity;
      if (!s!.fade) ctx.platform.setOpacity(s!.handle, cmd.opacity);
    },
  },
  fadeIn: {
    kinds: WINDOW_KINDS,
    apply: (ctx, cmd, s) => startFade(ctx, s!, 'in', cmd.durationMs ?? DEFAULT_FADE_MS),
  },
  fadeOut: {
    kinds: WINDOW_KINDS,
    apply: (ctx, cmd, s) => startFade(ctx, s!, 'out', cmd.durationMs ?? DEFAULT_FADE_MS),
  },
  anchorTo: {
    kinds: WINDOW_KINDS,
    check(ctx, cmd) {
      if (!ctx.platform.foreignWindowBounds(cmd.target)) {
        throw new PanepipeError('unknownWindow', `anchorTo: window ${cmd.target} does not exist`);
      }
    },
    apply(ctx, cmd, s) {
      if (s!.anchor) ctx.platform.unwatchForeignWindow(s!.anchor.target);
      s!.anchor = {
        target: cmd.target,
        anchor: cmd.anchor,
        offsetX: cmd.offsetX ?? 0,
        offsetY: cmd.offsetY ?? 0,
        surfaceCorner: cmd.surfaceCorner ?? 'matching',
        reportMoves: cmd.reportMoves ?? false,
      };
      ctx.platform.watchForeignWindow(cmd.target);
      const bounds = anchorBounds(ctx, s!);
      if (bounds) setBounds(ctx, s!, bounds);
    },
  },
  unanchor: {
    kinds: WINDOW_KINDS,
    apply(ctx, _cmd, s) {
      if (s!.anchor) ctx.platform.unwatchForeignWindow(s!.anchor.target);
      s!.anchor = null;
    },
  },
  setCaptureExcluded: {
    kinds: WINDOW_KINDS,
    check(ctx) {
      if (!ctx.capabilities().captureExclusion) {
        throw new PanepipeError('unsupported', 'setCaptureExcluded: capture exclusion is not available on this system (see capabilities)');
      }
    },
    apply(ctx, cmd, s) {
      s!.captureExcluded = cmd.excluded;
      ctx.platform.setCaptureExcluded(s!.handle, cmd.excluded);
    },
  },
  setBackdrop: {
    kinds: WINDOW_KINDS,
    check(ctx, cmd) {
      if (!ctx.capabilities().backdrops.includes(cmd.backdrop)) {
        throw new PanepipeError('unsupported', `setBackdrop: "${cmd.backdrop}" is not available on this system (see capabilities)`);
      }
    },
    apply(_ctx, cmd, s) {
      s!.backdrop = cmd.backdrop;
    },
  },
  destroy: {
    kinds: ['hud', 'panel', 'pip', 'tray'],
    check(_ctx, cmd, _s, _inv, plan) {
      plan?.destroyed.add(cmd.surface);
    },
    apply: (ctx, _cmd, s) => destroySurface(ctx, s!),
  },
};
