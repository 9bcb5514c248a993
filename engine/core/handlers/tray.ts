import { PanepipeError } from '../../../protocol';
import type { EngineContext, Handler } from '../context';
import type { Surface } from '../surface';
import { checkImageBytes, trayIconBytes } from '../budgets';
import { setVisible } from '../lifecycle';
import { toTraySpec } from './trayIcon';

type TrayOp = 'setTooltip' | 'setTrayIcon' | 'setPopup' | 'setMenu';

function updateTray(ctx: EngineContext, s: Surface, change: Partial<Pick<NonNullable<Surface['tray']>, 'tooltip' | 'icon'>>): void {
  const tray = Object.assign(s.tray!, change);
  ctx.platform.updateTray(s.handle, toTraySpec(ctx, tray.tooltip, tray.icon));
}

export const trayHandlers: { [O in TrayOp]: Handler<O> } = {
  setTooltip: {
    kinds: ['tray'],
    apply: (ctx, cmd, s) => updateTray(ctx, s!, { tooltip: cmd.tooltip }),
  },
  setTrayIcon: {
    kinds: ['tray'],
    check(ctx, cmd, s, _inv, plan) {
      toTraySpec(ctx, s!.tray!.tooltip, cmd.icon);
      checkImageBytes(ctx, s!.session, trayIconBytes(ctx, s!.tray!.icon), trayIconBytes(ctx, cmd.icon), plan);
    },
    apply: (ctx, cmd, s) => updateTray(ctx, s!, { icon: cmd.icon }),
  },
  setPopup: {
    kinds: ['tray'],
    check(ctx, cmd, s) {
      if (cmd.panel === null) return;
      const panel = ctx.registry.owned(s!.session, cmd.panel, 'setPopup', ['panel']);
      if (panel.popupOf && panel.popupOf !== s!.id) {
        throw new PanepipeError('invalidCommand', `setPopup: ${panel.id} is already the popup of ${panel.popupOf}`);
      }
    },
    apply(ctx, cmd, s) {
      const tray = s!.tray!;
      const previous = tray.popup ? ctx.registry.get(tray.popup) : undefined;
      if (previous) {
        previous.popupOf = null;
        setVisible(ctx, previous, false);
      }
      tray.popup = cmd.panel;
      const panel = cmd.panel ? ctx.registry.get(cmd.panel) : undefined;
      if (panel) panel.popupOf = s!.id;
    },
  },
  setMenu: {
    kinds: ['tray'],
    apply(ctx, cmd, s) {
      s!.tray!.menu = cmd.items;
      ctx.platform.setTrayMenu(s!.handle, cmd.items);
    },
  },
};
