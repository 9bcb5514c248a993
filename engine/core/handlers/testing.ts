import { PanepipeError, type Color } from '../../../protocol';
import type { TestDesktop } from '../../platform/headless/platform';
import type { EngineContext, Handler } from '../context';
import { toPhysical, toPhysicalPoint } from '../geometry';

type TestOp = 'testPointer' | 'testTrayClick' | 'testTrayMenuSelect' | 'testCreateWindow' | 'testMoveWindow' | 'testCloseWindow';

function desktop(ctx: EngineContext, op: string): TestDesktop {
  if (!ctx.testDesktop) {
    throw new PanepipeError('unsupported', `${op}: test hooks need a headless engine started with --test-input`);
  }
  return ctx.testDesktop;
}

function rgba(color: Color | undefined): [number, number, number, number] {
  const hex = (color ?? '#3a6ea5').slice(1);
  const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
  const n = (i: number) => parseInt(full.slice(i * 2, i * 2 + 2), 16);
  return [n(0), n(1), n(2), full.length === 8 ? n(3) : 255];
}

function unknownWindow(op: string, window: number): PanepipeError {
  return new PanepipeError('unknownWindow', `${op}: window ${window} does not exist`);
}

export const testHandlers: { [O in TestOp]: Handler<O> } = {
  testPointer: {
    check: (ctx, cmd) => void desktop(ctx, cmd.op),
    apply(ctx, cmd) {
      const d = desktop(ctx, cmd.op);
      const p = toPhysicalPoint(ctx.monitors(), cmd.x, cmd.y);
      const button = cmd.button ?? 'left';
      if (cmd.action === 'click') {
        d.injectPointer('down', p.x, p.y, button);
        d.injectPointer('up', p.x, p.y, button);
      } else {
        d.injectPointer(cmd.action, p.x, p.y, button);
      }
    },
  },
  testTrayClick: {
    kinds: ['tray'],
    check: (ctx, cmd) => void desktop(ctx, cmd.op),
    apply: (ctx, cmd, s) => desktop(ctx, cmd.op).clickTray(s!.handle, cmd.button, cmd.double ?? false),
  },
  testTrayMenuSelect: {
    kinds: ['tray'],
    check(ctx, cmd, s) {
      desktop(ctx, cmd.op);
      const item = s!.tray!.menu.find((i) => i.id === cmd.itemId);
      if (!item || item.separator || item.enabled === false) {
        throw new PanepipeError('invalidCommand', `testTrayMenuSelect: no enabled menu item "${cmd.itemId}"`);
      }
    },
    apply: (ctx, cmd, s) => void desktop(ctx, cmd.op).selectTrayMenuItem(s!.handle, cmd.itemId),
  },
  testCreateWindow: {
    check: (ctx, cmd) => void desktop(ctx, cmd.op),
    apply(ctx, cmd) {
      const bounds = toPhysical(ctx.monitors(), cmd);
      return { window: desktop(ctx, cmd.op).createForeignWindow(bounds, rgba(cmd.color), cmd.title ?? '') };
    },
  },
  testMoveWindow: {
    check(ctx, cmd) {
      if (!desktop(ctx, cmd.op) || !ctx.platform.foreignWindowBounds(cmd.window)) throw unknownWindow(cmd.op, cmd.window);
    },
    apply(ctx, cmd) {
      const current = ctx.platform.foreignWindowBounds(cmd.window)!;
      const bounds = toPhysical(ctx.monitors(), {
        x: cmd.x,
        y: cmd.y,
        width: cmd.width ?? current.width,
        height: cmd.height ?? current.height,
      });
      desktop(ctx, cmd.op).moveForeignWindow(cmd.window, bounds);
    },
  },
  testCloseWindow: {
    check(ctx, cmd) {
      if (!desktop(ctx, cmd.op) || !ctx.platform.foreignWindowBounds(cmd.window)) throw unknownWindow(cmd.op, cmd.window);
    },
    apply: (ctx, cmd) => void desktop(ctx, cmd.op).closeForeignWindow(cmd.window),
  },
};
