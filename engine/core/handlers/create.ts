import { PanepipeError, type CommandFor, type Rect } from '../../../protocol';
import type { EngineContext, Handler, Invocation } from '../context';
import { resolvePlacement } from '../geometry';
import { checkBounds, checkImageBytes, trayIconBytes } from '../budgets';
import { blankSurface, createWindowSurface } from '../lifecycle';
import type { Surface } from '../surface';
import { toTraySpec } from './trayIcon';
import { DEFAULT_CAPTURE_FPS } from '../pipCapture';

type WindowCreateOp = 'createHud' | 'createPanel' | 'createPip';

/** Where a new surface goes: its saved position if it has one, else its placement. */
function initialBounds(ctx: EngineContext, cmd: CommandFor<WindowCreateOp>, inv: Invocation): Rect {
  const at = inv.restored ?? resolvePlacement(ctx.monitors(), cmd.placement, cmd.width, cmd.height);
  return { x: at.x, y: at.y, width: cmd.width, height: cmd.height };
}

function checkCreate(ctx: EngineContext, cmd: CommandFor<WindowCreateOp>, inv: Invocation): void {
  ctx.registry.checkCapacity(inv.session);
  checkBounds(ctx, inv.session, null, initialBounds(ctx, cmd, inv), null);
}

/** Create a window surface of `kind` with the options every create op shares, plus `extra`. */
function createWindow(
  ctx: EngineContext,
  cmd: CommandFor<WindowCreateOp>,
  inv: Invocation,
  kind: 'hud' | 'panel' | 'pip',
  extra: Partial<Surface> = {},
): { id: string } {
  const s = createWindowSurface(ctx, inv, kind, initialBounds(ctx, cmd, inv), {
    opacity: cmd.opacity ?? 1,
    positionKey: cmd.positionKey,
    ...extra,
  });
  return { id: s.id };
}

export const createHandlers: { [O in WindowCreateOp | 'createTray']: Handler<O> } = {
  createHud: {
    check: (ctx, cmd, _t, inv) => checkCreate(ctx, cmd, inv),
    apply: (ctx, cmd, _t, inv) => createWindow(ctx, cmd, inv, 'hud'),
  },
  createPanel: {
    check: (ctx, cmd, _t, inv) => checkCreate(ctx, cmd, inv),
    apply: (ctx, cmd, _t, inv) => createWindow(ctx, cmd, inv, 'panel', { draggable: cmd.draggable ?? false, dragHeight: cmd.dragHeight }),
  },
  createPip: {
    check(ctx, cmd, _t, inv) {
      checkCreate(ctx, cmd, inv);
      if (!ctx.platform.foreignWindowBounds(cmd.sourceWindow)) {
        throw new PanepipeError('unknownWindow', `createPip: source window ${cmd.sourceWindow} does not exist`);
      }
    },
    apply(ctx, cmd, _t, inv) {
      ctx.platform.watchForeignWindow(cmd.sourceWindow);
      return createWindow(ctx, cmd, inv, 'pip', {
        pip: { source: cmd.sourceWindow, region: cmd.sourceRegion ?? null, fps: cmd.captureFps ?? DEFAULT_CAPTURE_FPS },
      });
    },
  },
  createTray: {
    check(ctx, cmd, _t, inv) {
      ctx.registry.checkCapacity(inv.session);
      toTraySpec(ctx, cmd.tooltip ?? '', cmd.icon ?? null);
      checkImageBytes(ctx, inv.session, 0, trayIconBytes(ctx, cmd.icon ?? null), null);
    },
    apply(ctx, cmd, _t, inv) {
      const tray = { tooltip: cmd.tooltip ?? '', icon: cmd.icon ?? null, menu: [], popup: null };
      const handle = ctx.platform.createTray(toTraySpec(ctx, tray.tooltip, tray.icon));
      const id = ctx.registry.newId('tray');
      ctx.registry.add({
        ...blankSurface(id, 'tray', inv.session, handle, { x: 0, y: 0, width: 0, height: 0 }),
        visible: true,
        needsPresent: false,
        tray,
      });
      return { id };
    },
  },
};
